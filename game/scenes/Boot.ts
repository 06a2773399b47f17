import Phaser from 'phaser';
import { SCENES } from './scene-keys.ts';

export class Boot extends Phaser.Scene {
  constructor() {
    super(SCENES.boot);
  }

  create(): void {
    this.scene.start(SCENES.preloader);
  }
}
