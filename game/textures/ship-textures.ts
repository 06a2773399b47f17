import type Phaser from 'phaser';

/** Texture keys generated once at preload; every picture in the game is drawn here by code. */
export const TEXTURES = { tie: 'tie', destroyer: 'destroyer', xwing: 'xwing', spark: 'spark' } as const;

type Draw = (ctx: CanvasRenderingContext2D, w: number, h: number) => void;

const drawTie: Draw = (ctx, w, h) => {
  ctx.fillStyle = '#c8d0dc';
  ctx.fillRect(0, 0, w * 0.18, h);
  ctx.fillRect(w * 0.82, 0, w * 0.18, h);
  ctx.fillRect(w * 0.18, h * 0.45, w * 0.64, h * 0.1);
  ctx.beginPath();
  ctx.arc(w / 2, h / 2, w * 0.22, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#3a4454';
  ctx.beginPath();
  ctx.arc(w / 2, h / 2, w * 0.1, 0, Math.PI * 2);
  ctx.fill();
};

const drawDestroyer: Draw = (ctx, w, h) => {
  ctx.fillStyle = '#aeb6c2';
  ctx.beginPath();
  ctx.moveTo(w / 2, 0);
  ctx.lineTo(w, h);
  ctx.lineTo(0, h);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = '#6c7584';
  ctx.fillRect(w * 0.4, h * 0.7, w * 0.2, h * 0.2);
};

const drawXwing: Draw = (ctx, w, h) => {
  ctx.fillStyle = '#e8e2d4';
  ctx.fillRect(w * 0.42, 0, w * 0.16, h);
  ctx.fillStyle = '#d04a3a';
  ctx.fillRect(0, h * 0.55, w, h * 0.08);
  ctx.fillRect(0, h * 0.75, w, h * 0.08);
};

const drawSpark: Draw = (ctx, w, h) => {
  const g = ctx.createRadialGradient(w / 2, h / 2, 0, w / 2, h / 2, w / 2);
  g.addColorStop(0, 'rgba(255,255,255,1)');
  g.addColorStop(1, 'rgba(255,255,255,0)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
};

const ART: [string, number, number, Draw][] = [
  [TEXTURES.tie, 32, 32, drawTie],
  [TEXTURES.destroyer, 64, 40, drawDestroyer],
  [TEXTURES.xwing, 40, 40, drawXwing],
  [TEXTURES.spark, 16, 16, drawSpark],
];

/** Canvas textures work the same under Phaser 4's WebGL and Canvas renderers (refresh() uploads to the GPU). */
export function generateTextures(textures: Phaser.Textures.TextureManager): void {
  for (const [key, w, h, draw] of ART) {
    if (textures.exists(key)) continue;
    const canvas = textures.createCanvas(key, w, h);
    if (!canvas) continue;
    draw(canvas.getContext(), w, h);
    canvas.refresh();
  }
}
