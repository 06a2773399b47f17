import Phaser from 'phaser';
import type { LiveGameState } from '../store/live-game-state.ts';
import type { Ship, ShotEvent } from '../store/protocol-types.ts';
import { shipTexture, TEXTURES } from '../textures/ship-textures.ts';
import { centredCell, fleetLabel, layoutFleets, shipSlots, type FormationLayout } from '../view/formation.ts';
import { controllerBadge, hasMothership, shipVisual } from '../view/ship-visual.ts';
import { isShieldFlash, recoveryLine, shotLine } from '../view/kill-feed.ts';
import { hudLines } from '../view/hud.ts';
import type { SceneMirror } from '../view/state-mirror.ts';
import { SCENES } from './scene-keys.ts';
import { pageFont } from '../i18n/page.ts';
import { EXPLOSION_MS, ShipEffects } from './ship-effects.ts';
import { addSky } from './sky.ts';

/** Kill-feed lines kept; they fit the bottom band, so they never cover the top row of fleets. */
const FEED_LINES = 4;
const TOP = 40;
/** Bottom band kept free for the X-Wing's patrol and the connection warning. */
const BOTTOM = 90;
/** The scene mirror is rewritten at most this often: it is for tests, and 1,000 ships must keep their frame rate. */
const MIRROR_MS = 200;

/** Draws the store: one sprite per ship uid, one label per fleet. Holds no rules and fetches nothing. */
export class Battle extends Phaser.Scene {
  private readonly sprites = new Map<string, Phaser.GameObjects.Image>();
  /** Where each ship's sprite is flying to in the formation, and the tween taking it there. */
  private readonly slots = new Map<string, { x: number; y: number; tween: Phaser.Tweens.Tween }>();
  private readonly labels = new Map<string, Phaser.GameObjects.Text>();
  /** One Star Destroyer per fleet that has controlled ships; replacements warp out of it. */
  private readonly motherships = new Map<string, Phaser.GameObjects.Image>();
  private readonly dying = new Map<string, number>();
  /** Ships whose explosion has been shown. */
  private readonly wrecked = new Set<string>();
  private readonly feed: string[] = [];
  private layoutDirty = true;
  private layout: FormationLayout | null = null;
  private xwing!: Phaser.GameObjects.Image;
  private hud!: Phaser.GameObjects.Text;
  private feedText!: Phaser.GameObjects.Text;
  private warning!: Phaser.GameObjects.Text;
  private lasers = 0;
  private shields = 0;
  private mirrorDueAt = 0;
  private effects!: ShipEffects;

  /** `report` receives what the scene shows (for the page's test mirror), at most every MIRROR_MS. */
  constructor(
    private readonly store: LiveGameState,
    private readonly report: (mirror: SceneMirror) => void = () => undefined,
  ) {
    super(SCENES.battle);
  }

  create(): void {
    addSky(this);
    this.effects = new ShipEffects(this, this.sprites);
    this.xwing = this.add.image(40, 40, TEXTURES.xwing).setDepth(10);
    this.hud = this.add
      .text(12, 8, '', { fontFamily: pageFont(), fontSize: '18px', color: '#ffe81f' })
      .setDepth(20);
    this.feedText = this.add
      .text(this.scale.width - 12, this.scale.height - 8, '', {
        fontFamily: pageFont(),
        fontSize: '15px',
        color: '#dfe6f0',
        align: 'right',
        backgroundColor: '#05070daa',
      })
      .setOrigin(1, 1)
      .setDepth(20);
    this.warning = this.add
      .text(this.scale.width / 2, this.scale.height - 30, '', {
        fontFamily: pageFont(),
        fontSize: '20px',
        color: '#ff6b5a',
        backgroundColor: '#000a',
      })
      .setOrigin(0.5)
      .setDepth(20);
    for (const ship of this.store.ships.values()) this.addShip(ship);
    // The feed from before the scene started (the first snapshot's) is listed, not animated.
    for (const event of this.store.recentFeed) {
      if (event.kind === 'shot') this.fire(event.shot, true);
      else this.addFeedLine(recoveryLine(event.recovery));
    }
    const unsubscribe = this.store.subscribe({
      shipAdded: (ship) => this.addShip(ship),
      shipChanged: (ship, previous) => {
        this.styleShip(ship);
        if ((ship.state === 'destroyed') !== (previous.state === 'destroyed')) this.layoutDirty = true;
      },
      shipRemoved: (ship) => this.destroyShip(ship.uid),
      shot: (shot, replayed) => this.fire(shot, replayed),
      recovered: (recovery) => this.addFeedLine(recoveryLine(recovery)),
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, unsubscribe);
    this.scale.on(Phaser.Scale.Events.RESIZE, (size: Phaser.Structs.Size) => {
      this.layoutDirty = true;
      this.feedText.setPosition(size.width - 12, size.height - 8);
      this.warning.setPosition(size.width / 2, size.height - 30);
    });
  }

  override update(time: number): void {
    if (this.layoutDirty) this.relayout();
    for (const [uid, until] of this.dying) {
      if (time < until) continue;
      this.sprites.get(uid)?.destroy();
      this.sprites.delete(uid);
      this.forgetSlot(uid);
      this.dying.delete(uid);
      this.wrecked.delete(uid);
    }
    this.effects.update(time);
    this.xwing.x = (this.scale.width / 2) * (1 + 0.8 * Math.sin(time / 4000));
    this.xwing.y = this.scale.height - BOTTOM / 2 + 15 * Math.sin(time / 1300);
    const hud = hudLines(this.store, Date.now());
    this.hud.setText(hud.status);
    this.warning.setText(hud.warning);
    if (time >= this.mirrorDueAt) {
      this.mirrorDueAt = time + MIRROR_MS;
      this.report({
        feed: [...this.feed],
        lasers: this.lasers,
        shields: this.shields,
        effects: this.effects.mirror(),
      });
    }
  }

  private addShip(ship: Ship): void {
    const mothership = hasMothership(ship.controller) ? this.motherships.get(ship.fleet) : undefined;
    const start = mothership ?? { x: Math.random() * this.scale.width, y: TOP };
    const sprite = this.add.image(start.x, start.y, TEXTURES.tie);
    // A ship seen again (a resync after its removal) replaces its dying sprite instead of leaking it.
    this.sprites.get(ship.uid)?.destroy();
    this.forgetSlot(ship.uid);
    this.effects.remove(ship.uid);
    this.sprites.set(ship.uid, sprite);
    this.dying.delete(ship.uid);
    this.wrecked.delete(ship.uid);
    this.styleShip(ship);
    this.layoutDirty = true;
  }

  private styleShip(ship: Ship): void {
    const sprite = this.sprites.get(ship.uid);
    if (!sprite) return;
    const look = shipVisual(ship.state);
    sprite.setAlpha(look.alpha).setTexture(shipTexture(ship.state));
    this.effects.style(ship.uid, look, sprite);
    if (look.explosion) this.wreck(ship.uid, sprite);
  }

  private destroyShip(uid: string): void {
    const sprite = this.sprites.get(uid);
    if (!sprite) return;
    this.wreck(uid, sprite);
    this.dying.set(uid, this.time.now + EXPLOSION_MS);
    this.layoutDirty = true;
  }

  /**
   * One explosion per ship, whether its destroyed state or its removal comes first; the wreck then fades, since
   * it keeps no place in the formation and would otherwise float where the formation used to be.
   */
  private wreck(uid: string, sprite: Phaser.GameObjects.Image): void {
    if (this.wrecked.has(uid)) return;
    this.wrecked.add(uid);
    this.effects.remove(uid);
    this.effects.explode(uid, sprite.x, sprite.y, sprite.displayWidth, this.time.now);
    sprite.setTexture(shipTexture('destroyed'));
    this.tweens.add({ targets: sprite, alpha: 0, duration: EXPLOSION_MS });
  }

  private addFeedLine(line: string): void {
    this.feed.unshift(line);
    this.feed.length = Math.min(this.feed.length, FEED_LINES);
    this.feedText.setText(this.feed.join('\n'));
  }

  /** A replayed shot only joins the kill feed: its laser and explosion belong to the past. */
  private fire(shot: ShotEvent, replayed: boolean): void {
    this.addFeedLine(shotLine(shot));
    const target = this.sprites.get(shot.uid);
    if (!target || replayed) return;
    const laser = this.add
      .line(0, 0, this.xwing.x, this.xwing.y, target.x, target.y, 0xff3020)
      .setOrigin(0, 0);
    this.lasers += 1;
    this.tweens.add({ targets: laser, alpha: 0, duration: 300, onComplete: () => laser.destroy() });
    if (isShieldFlash(shot)) {
      const shield = this.add.circle(target.x, target.y, target.displayWidth, 0x60c0ff, 0.5);
      this.shields += 1;
      this.tweens.add({
        targets: shield,
        alpha: 0,
        scale: 1.6,
        duration: 500,
        onComplete: () => shield.destroy(),
      });
    }
  }

  /**
   * Sends a ship to its slot unless it is already flying there: a relayout happens on every ship that comes or goes,
   * and tweening all 1,000 sprites each time piled up thousands of tweens under fire.
   */
  private flyTo(uid: string, sprite: Phaser.GameObjects.Image, slot: { x: number; y: number }): void {
    const current = this.slots.get(uid);
    if (current && current.x === slot.x && current.y === slot.y) return;
    current?.tween.stop();
    const tween = this.tweens.add({ targets: sprite, x: slot.x, y: slot.y, duration: 400 });
    this.slots.set(uid, { x: slot.x, y: slot.y, tween });
  }

  private forgetSlot(uid: string): void {
    this.slots.get(uid)?.tween.stop();
    this.slots.delete(uid);
  }

  private placeMothership(fleet: string, ships: Ship[], label: Phaser.GameObjects.Text): void {
    let mothership = this.motherships.get(fleet);
    if (!ships.some((s) => hasMothership(s.controller))) {
      mothership?.destroy();
      this.motherships.delete(fleet);
      return;
    }
    if (!mothership) {
      mothership = this.add.image(0, 0, TEXTURES.destroyer);
      this.motherships.set(fleet, mothership);
    }
    const h = label.height;
    mothership
      .setDisplaySize(h * 1.4, h * 0.9)
      .setPosition(label.x - label.width / 2 - h * 0.9, label.y + h / 2);
  }

  /** Places fleets and their ships; only when fleets or ships come and go, never per frame. */
  private relayout(): void {
    this.layoutDirty = false;
    const byFleet = new Map<string, Ship[]>();
    for (const ship of this.store.ships.values()) {
      const list = byFleet.get(ship.fleet) ?? [];
      list.push(ship);
      byFleet.set(ship.fleet, list);
    }
    const fleets = [...byFleet.keys()].sort();
    // Sized on the ships that keep a place: destroyed ones linger until the server forgets them, and counting
    // them made formations shrink and jump under heavy fire.
    const largest = Math.max(
      0,
      ...[...byFleet.values()].map((l) => l.filter((s) => s.state !== 'destroyed').length),
    );
    this.layout = layoutFleets(fleets.length, largest, this.scale.width, this.scale.height - TOP - BOTTOM);
    for (const objects of [this.labels, this.motherships]) {
      for (const [name, object] of objects) {
        if (byFleet.has(name)) continue;
        object.destroy();
        objects.delete(name);
      }
    }
    fleets.forEach((name, i) => {
      const layout = this.layout!;
      const ships = byFleet.get(name)!;
      // Destroyed ships explode where they are; only the others take a place in the formation.
      const formed = ships.filter((s) => s.state !== 'destroyed');
      const shown = formed.slice(0, layout.maxShipsPerFleet);
      // Centred on the largest formation, so every fleet of a row lines up and nothing jumps as ships come and go.
      const tallest = Math.min(largest, layout.maxShipsPerFleet);
      const cell = centredCell({ ...layout.cells[i]!, y: layout.cells[i]!.y + TOP }, layout, tallest);
      const overflow = formed.length - shown.length;
      const kinds = [...new Set(ships.map((s) => controllerBadge(s.controller)))].join(' ');
      const controlled = ships.some((s) => hasMothership(s.controller));
      const room = cell.width * 0.95 - (controlled ? layout.labelHeight * 1.8 : 0);
      const text = fleetLabel(name, kinds, overflow, room, layout.labelHeight);
      let label = this.labels.get(name);
      if (!label) {
        label = this.add.text(0, 0, '', { fontFamily: pageFont(), color: '#ffe81f' }).setOrigin(0.5, 0);
        this.labels.set(name, label);
      }
      // Text re-measures and redraws on every style change: the font size is set only when it changes.
      if (label.style.fontSize !== `${layout.labelHeight}px`) label.setFontSize(layout.labelHeight);
      label.setText(text).setPosition(cell.x + cell.width / 2, cell.y);
      this.placeMothership(name, ships, label);
      const slots = shipSlots(cell, layout, shown.length);
      shown.forEach((ship, j) => {
        const sprite = this.sprites.get(ship.uid);
        if (!sprite) return;
        sprite.setVisible(true).setDisplaySize(layout.shipSize * 0.85, layout.shipSize * 0.85);
        this.flyTo(ship.uid, sprite, slots[j]!);
      });
      for (const ship of formed.slice(shown.length)) this.sprites.get(ship.uid)?.setVisible(false);
    });
  }
}
