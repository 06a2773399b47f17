import Phaser from 'phaser';
import { generateTextures } from '../textures/ship-textures.ts';
import { SCENES } from './scene-keys.ts';

export class Preloader extends Phaser.Scene {
  constructor() {
    super(SCENES.preloader);
  }

  create(): void {
    generateTextures(this.textures);
    this.scene.start(SCENES.battle);
  }
}
