import Phaser from 'phaser';
import type { LiveGameState } from '../store/live-game-state.ts';
import type { ShipState } from '../store/protocol-types.ts';
import type { PilotCue, PilotSession } from '../pilot/session.ts';
import type { PilotInput } from '../pilot/world.ts';
import { shipTexture, TEXTURES } from '../textures/ship-textures.ts';
import { pilotHud } from '../view/pilot-hud.ts';
import { feedLine, recoveryLine, shotLine } from '../view/kill-feed.ts';
import { shipVisual } from '../view/ship-visual.ts';
import { SCENES } from './scene-keys.ts';
import { pageFont } from '../i18n/page.ts';
import { addSky } from './sky.ts';

/** Longest step simulated at once, so a stalled tab does not teleport ships through each other. */
const MAX_STEP_MS = 50;
const FEED_LINES = 4;

export interface PilotControls {
  input(): PilotInput;
  restart(): boolean;
}

/** Pilot mode: draws the session's world (X-Wing, TIEs, Star Destroyers, lasers) and its cues. No rules here. */
export class Pilot extends Phaser.Scene {
  private readonly sprites = new Map<string, Phaser.GameObjects.Image>();
  /** Ship state each TIE sprite was last styled for, so styling happens on change, not every frame. */
  private readonly styled = new Map<string, ShipState>();
  private readonly feed: string[] = [];
  private xwing!: Phaser.GameObjects.Image;
  private lasers!: Phaser.GameObjects.Graphics;
  private hud!: Phaser.GameObjects.Text;
  private banner!: Phaser.GameObjects.Text;
  private feedText!: Phaser.GameObjects.Text;

  constructor(
    private readonly store: LiveGameState,
    private readonly session: PilotSession,
    private readonly controls: PilotControls,
  ) {
    super(SCENES.pilot);
  }

  create(): void {
    addSky(this);
    this.session.world.resize({ width: this.scale.width, height: this.scale.height });
    this.lasers = this.add.graphics().setDepth(5);
    this.xwing = this.add.image(0, 0, TEXTURES.xwing).setDepth(10).setDisplaySize(34, 34);
    this.hud = this.add
      .text(12, 8, '', { fontFamily: pageFont(), fontSize: '18px', color: '#ffe81f' })
      .setDepth(20);
    this.banner = this.add
      .text(this.scale.width / 2, this.scale.height / 2, '', {
        fontFamily: pageFont(),
        fontSize: '34px',
        color: '#ffe81f',
        align: 'center',
        backgroundColor: '#000a',
      })
      .setOrigin(0.5)
      .setDepth(30);
    this.feedText = this.add
      .text(this.scale.width - 12, 8, '', {
        fontFamily: pageFont(),
        fontSize: '15px',
        color: '#dfe6f0',
        align: 'right',
      })
      .setOrigin(1, 0)
      .setDepth(20);
    const stopCues = this.session.onCue((cue) => this.show(cue));
    const addLine = (line: string): void => {
      this.feed.unshift(line);
      this.feed.length = Math.min(this.feed.length, FEED_LINES);
      this.feedText.setText(this.feed.join('\n'));
    };
    // The feed from before the scene started (the first snapshot's) is listed too.
    for (const event of this.store.recentFeed) addLine(feedLine(event));
    const stopStore = this.store.subscribe({
      shot: (shot) => addLine(shotLine(shot)),
      recovered: (recovery) => addLine(recoveryLine(recovery)),
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      stopCues();
      stopStore();
    });
    this.scale.on(Phaser.Scale.Events.RESIZE, (size: Phaser.Structs.Size) => {
      this.session.world.resize({ width: size.width, height: size.height });
      this.banner.setPosition(size.width / 2, size.height / 2);
      this.feedText.setPosition(size.width - 12, 8);
    });
  }

  override update(time: number, delta: number): void {
    this.session.tick(this.controls.input(), Math.min(delta, MAX_STEP_MS), this.controls.restart());
    const world = this.session.world;
    for (const [id, sprite] of this.sprites) {
      if (world.enemies.has(id)) continue;
      sprite.destroy();
      this.sprites.delete(id);
      this.styled.delete(id);
    }
    for (const enemy of world.enemies.values()) {
      let sprite = this.sprites.get(enemy.id);
      if (!sprite) {
        const destroyer = enemy.kind === 'destroyer';
        sprite = this.add.image(enemy.x, enemy.y, destroyer ? TEXTURES.destroyer : TEXTURES.tie);
        sprite.setDisplaySize(destroyer ? 84 : 26, destroyer ? 52 : 26).setDepth(destroyer ? 1 : 2);
        if (destroyer) sprite.setRotation(enemy.angle + Math.PI / 2);
        this.sprites.set(enemy.id, sprite);
      }
      sprite.setPosition(enemy.x, enemy.y);
      const ship = this.store.ships.get(enemy.id);
      if (!ship) continue;
      if (this.styled.get(enemy.id) !== ship.state) {
        const look = shipVisual(ship.state);
        sprite.setAlpha(look.alpha).setTexture(shipTexture(ship.state));
        this.styled.set(enemy.id, ship.state);
      }
      if (ship.state === 'damaged') sprite.setAlpha(Math.sin(time / 60 + enemy.x) > 0 ? 0.9 : 0.4);
    }
    const ship = world.xwing;
    this.xwing
      .setPosition(ship.x, ship.y)
      .setRotation(ship.angle + Math.PI / 2)
      .setVisible(!world.gameOver)
      .setAlpha(world.invulnerable && Math.floor(time / 120) % 2 === 0 ? 0.3 : 1);
    this.lasers.clear();
    for (const laser of world.lasers) {
      this.lasers.lineStyle(2, laser.from === 'pilot' ? 0xff3020 : 0x40ff60, 1);
      const tail = laser.from === 'pilot' ? 0.02 : 0.04;
      this.lasers.lineBetween(laser.x, laser.y, laser.x - laser.vx * tail, laser.y - laser.vy * tail);
    }
    const hud = pilotHud(this.session.status(), this.store, Date.now());
    this.hud.setText(hud.lines.join('\n'));
    this.banner.setText(hud.banner).setVisible(hud.banner !== '');
  }

  private show(cue: PilotCue): void {
    switch (cue.type) {
      case 'explosion':
        this.blast(cue.x, cue.y, cue.big ? 10 : 4, cue.big ? 1600 : 900);
        return;
      case 'pilotHit':
        this.blast(cue.x, cue.y, 6, 1000);
        this.cameras.main.shake(250, 0.01);
        return;
      case 'shield': {
        const shield = this.add.circle(cue.x, cue.y, cue.radius, 0x60c0ff, 0.5).setDepth(4);
        this.tweens.add({
          targets: shield,
          alpha: 0,
          scale: 1.6,
          duration: 500,
          onComplete: () => shield.destroy(),
        });
        return;
      }
      case 'warp': {
        const ring = this.add.circle(cue.x, cue.y, 6, 0x9fd8ff, 0.6).setDepth(3);
        this.tweens.add({
          targets: ring,
          alpha: 0,
          scale: 4,
          duration: 400,
          onComplete: () => ring.destroy(),
        });
        return;
      }
      default:
        return;
    }
  }

  private blast(x: number, y: number, scale: number, duration: number): void {
    const blast = this.add.image(x, y, TEXTURES.spark).setDepth(6);
    this.tweens.add({ targets: blast, scale, alpha: 0, duration, onComplete: () => blast.destroy() });
  }
}
