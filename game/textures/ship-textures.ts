import type Phaser from 'phaser';
import type { ShipState } from '../store/protocol-types.ts';
import { shipVisual } from '../view/ship-visual.ts';
import { seededRandom } from '../../server/random.ts';

/** Texture keys generated once at preload; every picture in the game is drawn here by code. */
export const TEXTURES = {
  tie: 'tie',
  destroyer: 'destroyer',
  xwing: 'xwing',
  spark: 'spark',
  /** A soft grey puff: damaged ships trail them. */
  smoke: 'smoke',
  /** A beam fading to its tail, drawn along the path of a ship warping in. */
  streak: 'streak',
  /** A hull fragment flung out of an explosion. */
  debris: 'debris',
} as const;

type Draw = (ctx: CanvasRenderingContext2D, w: number, h: number) => void;

const SHIP_STATES: ShipState[] = ['warping', 'flying', 'damaged', 'destroyed'];

/**
 * One TIE texture per ship state, coloured by the state's tint: Phaser's Canvas renderer ignores setTint, and
 * Canvas is what most projector laptops get, so the colour is baked into the picture.
 */
export function shipTexture(state: ShipState): string {
  return `tie-${state}`;
}

/** Multiplies an #rrggbb colour by a 0xRRGGBB tint, channel by channel, as WebGL tinting would. */
export function tinted(colour: string, tint: number): string {
  const base = Number.parseInt(colour.slice(1), 16);
  const channel = (shift: number) => Math.round((((base >> shift) & 255) * ((tint >> shift) & 255)) / 255);
  return `#${((channel(16) << 16) | (channel(8) << 8) | channel(0)).toString(16).padStart(6, '0')}`;
}

const drawTie =
  (tint: number): Draw =>
  (ctx, w, h) => {
    ctx.fillStyle = tinted('#c8d0dc', tint);
    ctx.fillRect(0, 0, w * 0.18, h);
    ctx.fillRect(w * 0.82, 0, w * 0.18, h);
    ctx.fillRect(w * 0.18, h * 0.45, w * 0.64, h * 0.1);
    ctx.beginPath();
    ctx.arc(w / 2, h / 2, w * 0.22, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = tinted('#3a4454', tint);
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

/** Seen from above, nose up: a long fuselage, wings splayed at the back, cannons on the wing tips, red stripes. */
const drawXwing: Draw = (ctx, w, h) => {
  ctx.fillStyle = '#e8e2d4';
  ctx.beginPath();
  ctx.moveTo(w * 0.5, 0);
  ctx.lineTo(w * 0.58, h * 0.62);
  ctx.lineTo(w * 0.56, h);
  ctx.lineTo(w * 0.44, h);
  ctx.lineTo(w * 0.42, h * 0.62);
  ctx.closePath();
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(w * 0.42, h * 0.58);
  ctx.lineTo(w * 0.04, h * 0.7);
  ctx.lineTo(w * 0.04, h * 0.86);
  ctx.lineTo(w * 0.42, h * 0.86);
  ctx.moveTo(w * 0.58, h * 0.58);
  ctx.lineTo(w * 0.96, h * 0.7);
  ctx.lineTo(w * 0.96, h * 0.86);
  ctx.lineTo(w * 0.58, h * 0.86);
  ctx.fill();
  ctx.fillStyle = '#b8b2a4';
  ctx.fillRect(w * 0.02, h * 0.3, w * 0.05, h * 0.58);
  ctx.fillRect(w * 0.93, h * 0.3, w * 0.05, h * 0.58);
  ctx.fillStyle = '#d04a3a';
  ctx.fillRect(w * 0.14, h * 0.72, w * 0.2, h * 0.06);
  ctx.fillRect(w * 0.66, h * 0.72, w * 0.2, h * 0.06);
  ctx.fillStyle = '#4fc3f7';
  ctx.fillRect(w * 0.47, h * 0.4, w * 0.06, h * 0.1);
};

/** A round glow: colour stops from the centre (0) to the rim (1). */
const radialGlow =
  (stops: [offset: number, colour: string][]): Draw =>
  (ctx, w, h) => {
    const g = ctx.createRadialGradient(w / 2, h / 2, 0, w / 2, h / 2, w / 2);
    for (const [offset, colour] of stops) g.addColorStop(offset, colour);
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, w, h);
  };

const drawSpark = radialGlow([
  [0, 'rgba(255,245,220,1)'],
  [0.4, 'rgba(255,160,64,0.8)'],
  [1, 'rgba(255,80,32,0)'],
]);

const drawSmoke = radialGlow([
  [0, 'rgba(170,176,186,0.9)'],
  [0.6, 'rgba(110,116,126,0.5)'],
  [1, 'rgba(80,84,92,0)'],
]);

/** Bright at the right end (the ship), fading out to the left (where it came from); scenes rotate it. */
const drawStreak: Draw = (ctx, w, h) => {
  const along = ctx.createLinearGradient(0, 0, w, 0);
  along.addColorStop(0, 'rgba(120,200,255,0)');
  along.addColorStop(0.7, 'rgba(150,215,255,0.55)');
  along.addColorStop(1, 'rgba(235,248,255,0.95)');
  ctx.fillStyle = along;
  ctx.beginPath();
  ctx.moveTo(0, h / 2);
  ctx.lineTo(w, 0);
  ctx.lineTo(w, h);
  ctx.closePath();
  ctx.fill();
};

const drawDebris: Draw = (ctx, w, h) => {
  ctx.fillStyle = '#8c95a3';
  ctx.beginPath();
  ctx.moveTo(0, h * 0.2);
  ctx.lineTo(w, 0);
  ctx.lineTo(w * 0.7, h);
  ctx.closePath();
  ctx.fill();
};

export interface Star {
  x: number;
  y: number;
  size: number;
  alpha: number;
}

/**
 * A sparse sky for a w×h field, from a fixed seed so it is the same on every screen. Scenes draw it as a few
 * hundred tiny rectangles: measured with 1,000 ships on the Canvas renderer, a full-screen sky image cost a third
 * of the frame rate and a transparent canvas over a CSS sky a quarter; dots cost next to nothing.
 */
export function starfield(w: number, h: number): Star[] {
  const random = seededRandom(1977);
  const count = Math.min(400, Math.round((w * h) / 8000));
  const stars: Star[] = [];
  for (let i = 0; i < count; i++) {
    const bright = random();
    stars.push({
      x: Math.floor(random() * w),
      y: Math.floor(random() * h),
      size: bright > 0.92 ? 2 : 1,
      alpha: 0.25 + bright * 0.6,
    });
  }
  return stars;
}

const ART: [string, number, number, Draw][] = [
  [TEXTURES.tie, 32, 32, drawTie(0xffffff)],
  ...SHIP_STATES.map((state): [string, number, number, Draw] => [
    shipTexture(state),
    32,
    32,
    drawTie(shipVisual(state).tint),
  ]),
  [TEXTURES.destroyer, 64, 40, drawDestroyer],
  [TEXTURES.xwing, 48, 48, drawXwing],
  [TEXTURES.spark, 16, 16, drawSpark],
  [TEXTURES.smoke, 16, 16, drawSmoke],
  [TEXTURES.streak, 64, 8, drawStreak],
  [TEXTURES.debris, 6, 6, drawDebris],
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
