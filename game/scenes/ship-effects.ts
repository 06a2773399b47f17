import type Phaser from 'phaser';
import { TEXTURES } from '../textures/ship-textures.ts';
import type { ShipVisual } from '../view/ship-visual.ts';
import type { ShipEffect } from '../view/state-mirror.ts';

export const EXPLOSION_MS = 900;
/** A damaged ship puffs smoke this often. */
const SMOKE_EVERY_MS = 350;
const SMOKE_MS = 1100;
/** Puffs on screen at most: a crash-looping Deployment of 100 pods must not cost the projector its frame rate. */
const MAX_PUFFS = 60;
/** Streaks on screen at most: under heavy fire a whole fleet warps back at once, and each streak is a big sprite. */
const MAX_STREAKS = 12;
const DEBRIS_PIECES = 4;

/**
 * The state effects of the battle's ships, drawn by the Battle scene: a warp streak behind a ship arriving, smoke
 * and flicker on a damaged one, an explosion with debris for a destroyed one. Effects follow their sprite, cost
 * nothing for a ship flying normally, and say which are on for the scene's test mirror.
 */
export class ShipEffects {
  /** Warping ships: their streak (under the ships, over the sky) and where they warped in from. */
  private readonly streaks = new Map<
    string,
    { image: Phaser.GameObjects.Image; fromX: number; fromY: number }
  >();
  private readonly smoking = new Set<string>();
  private readonly flickering = new Set<string>();
  /** Ships whose explosion is on screen, until when. */
  private readonly exploding = new Map<string, number>();
  private puffs = 0;
  private nextSmokeAt = 0;

  constructor(
    private readonly scene: Phaser.Scene,
    private readonly sprites: ReadonlyMap<string, Phaser.GameObjects.Image>,
  ) {}

  /** Starts and stops the lasting effects of a ship's look; `from` is where a warping ship came from. */
  style(uid: string, look: ShipVisual, from: { x: number; y: number }): void {
    const streak = this.streaks.get(uid);
    if (look.warp && !streak && this.streaks.size < MAX_STREAKS) {
      const image = this.scene.add
        .image(from.x, from.y, TEXTURES.streak)
        .setOrigin(1, 0.5)
        .setAlpha(0.8)
        .setDepth(-1);
      this.streaks.set(uid, { image, fromX: from.x, fromY: from.y });
    } else if (!look.warp && streak) {
      this.streaks.delete(uid);
      this.fadeOut(streak.image, 250);
    }
    toggle(this.smoking, uid, look.smoke);
    toggle(this.flickering, uid, look.flicker);
  }

  /** The blast and the hull flung apart, once per ship (the scene makes sure of that). */
  explode(uid: string, x: number, y: number, size: number, now: number): void {
    this.exploding.set(uid, now + EXPLOSION_MS);
    const blast = this.scene.add.image(x, y, TEXTURES.spark).setDepth(5);
    this.scene.tweens.add({
      targets: blast,
      scale: 4,
      alpha: 0,
      duration: EXPLOSION_MS,
      onComplete: () => blast.destroy(),
    });
    const reach = Math.max(12, size * 1.5);
    for (let i = 0; i < DEBRIS_PIECES; i++) {
      const angle = (i / DEBRIS_PIECES) * Math.PI * 2 + Math.random() * 0.8;
      const piece = this.scene.add
        .image(x, y, TEXTURES.debris)
        .setDepth(5)
        .setScale(Math.max(0.6, size / 24))
        .setRotation(Math.random() * Math.PI);
      this.scene.tweens.add({
        targets: piece,
        x: x + Math.cos(angle) * reach * (0.6 + Math.random() * 0.6),
        y: y + Math.sin(angle) * reach * (0.6 + Math.random() * 0.6),
        rotation: piece.rotation + (Math.random() - 0.5) * 6,
        alpha: 0,
        duration: EXPLOSION_MS,
        onComplete: () => piece.destroy(),
      });
    }
  }

  /** The ship's sprite is gone: its lasting effects go with it (an explosion already under way plays out). */
  remove(uid: string): void {
    const streak = this.streaks.get(uid);
    if (streak) this.fadeOut(streak.image, 150);
    this.streaks.delete(uid);
    this.smoking.delete(uid);
    this.flickering.delete(uid);
  }

  /** Per frame: only the ships that have an effect are visited, so 1,000 calm ships cost nothing here. */
  update(time: number): void {
    for (const [uid, until] of this.exploding) if (time >= until) this.exploding.delete(uid);
    for (const [uid, streak] of this.streaks) {
      const sprite = this.sprites.get(uid);
      if (sprite) this.trail(streak, sprite, time);
    }
    for (const uid of this.flickering) {
      const sprite = this.sprites.get(uid);
      sprite?.setAlpha(Math.sin(time / 60 + sprite.x) > 0 ? 0.9 : 0.4);
    }
    if (time < this.nextSmokeAt) return;
    this.nextSmokeAt = time + SMOKE_EVERY_MS;
    for (const uid of this.smoking) {
      const sprite = this.sprites.get(uid);
      if (sprite?.visible && this.puffs < MAX_PUFFS) this.puff(sprite);
    }
  }

  /** Which effects each ship shows now, for the scene mirror. */
  mirror(): Record<string, ShipEffect[]> {
    const out: Record<string, ShipEffect[]> = {};
    const add = (uid: string, ...effects: ShipEffect[]) => (out[uid] ??= []).push(...effects);
    for (const uid of this.streaks.keys()) add(uid, 'warp');
    for (const uid of this.smoking) add(uid, 'smoke');
    for (const uid of this.exploding.keys()) add(uid, 'explosion', 'debris');
    return out;
  }

  /** The streak runs from behind the ship back towards where it came from, at most a few ship lengths, pulsing. */
  private trail(
    streak: { image: Phaser.GameObjects.Image; fromX: number; fromY: number },
    sprite: Phaser.GameObjects.Image,
    time: number,
  ): void {
    let dx = sprite.x - streak.fromX;
    let dy = sprite.y - streak.fromY;
    let distance = Math.hypot(dx, dy);
    // Parked (or never moved): the streak still shows, as if it warped in from above.
    if (distance < 1) [dx, dy, distance] = [0, 1, 1];
    const length = Math.max(
      sprite.displayHeight * 1.5,
      Math.min(Math.hypot(dx, dy), sprite.displayHeight * 4),
    );
    streak.image
      .setPosition(sprite.x, sprite.y)
      .setRotation(Math.atan2(dy, dx))
      .setDisplaySize(length, Math.max(4, sprite.displayHeight * 0.45))
      .setAlpha(0.55 + 0.3 * Math.sin(time / 90));
  }

  private puff(sprite: Phaser.GameObjects.Image): void {
    this.puffs += 1;
    const size = sprite.displayWidth;
    const smoke = this.scene.add
      .image(sprite.x + (Math.random() - 0.5) * size * 0.4, sprite.y - size * 0.2, TEXTURES.smoke)
      .setDisplaySize(size * 0.5, size * 0.5)
      .setAlpha(0.7);
    this.scene.tweens.add({
      targets: smoke,
      y: smoke.y - size * 0.9,
      scale: smoke.scale * 2.2,
      alpha: 0,
      duration: SMOKE_MS,
      onComplete: () => {
        smoke.destroy();
        this.puffs -= 1;
      },
    });
  }

  private fadeOut(image: Phaser.GameObjects.Image, duration: number): void {
    this.scene.tweens.add({ targets: image, alpha: 0, duration, onComplete: () => image.destroy() });
  }
}

function toggle(set: Set<string>, uid: string, on: boolean): void {
  if (on) set.add(uid);
  else set.delete(uid);
}
