import type Phaser from 'phaser';
import { starfield } from '../textures/ship-textures.ts';

/** Adds the starfield behind everything and redraws it when the window changes size. */
export function addSky(scene: Phaser.Scene): void {
  const sky = scene.add.graphics().setDepth(-10);
  const draw = (w: number, h: number): void => {
    sky.clear();
    for (const star of starfield(w, h)) {
      sky.fillStyle(0xdce6ff, star.alpha);
      sky.fillRect(star.x, star.y, star.size, star.size);
    }
  };
  draw(scene.scale.width, scene.scale.height);
  scene.scale.on('resize', (size: Phaser.Structs.Size) => draw(size.width, size.height));
}
