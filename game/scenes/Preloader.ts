import Phaser from 'phaser';
import { generateTextures } from '../textures/ship-textures.ts';
import { SCENES } from './scene-keys.ts';

export class Preloader extends Phaser.Scene {
  /** The scene that draws the game once textures exist: the battle view, pilot mode or the battle's floor. */
  constructor(private readonly next: (typeof SCENES)['battle' | 'pilot' | 'floor'] = SCENES.battle) {
    super(SCENES.preloader);
  }

  create(): void {
    generateTextures(this.textures);
    this.scene.start(this.next);
  }
}
