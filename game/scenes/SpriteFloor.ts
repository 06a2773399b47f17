import Phaser from 'phaser';
import type { LiveGameState } from '../store/live-game-state.ts';
import type { Ship } from '../store/protocol-types.ts';
import { shipTexture } from '../textures/ship-textures.ts';
import { layoutFleets, shipSlots } from '../view/formation.ts';
import { SCENES } from './scene-keys.ts';
import { addSky } from './sky.ts';

/** The battle's field, below its top band and above its bottom band (as the Battle scene keeps them). */
const TOP = 40;
const BOTTOM = 90;

/**
 * The battle's frame-rate floor (`/game?bench=floor`, for bench:fps): the same ship sprites in the same formation on
 * the same sky, fed by the same store, and nothing else (no effects, labels, HUD, tweens or kill feed). What a frame
 * costs here is what the ships alone cost on this machine, so the battle's frame rate is judged against it.
 */
export class SpriteFloor extends Phaser.Scene {
  private readonly sprites = new Map<string, Phaser.GameObjects.Image>();
  private dirty = true;

  constructor(private readonly store: LiveGameState) {
    super(SCENES.floor);
  }

  create(): void {
    addSky(this);
    const unsubscribe = this.store.subscribe({
      shipAdded: () => (this.dirty = true),
      shipChanged: (ship) => this.sprites.get(ship.uid)?.setTexture(shipTexture(ship.state)),
      shipRemoved: () => (this.dirty = true),
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, unsubscribe);
  }

  override update(): void {
    if (this.dirty) this.place();
  }

  /** One sprite per ship the store holds, placed at once where the battle's formation puts it. */
  private place(): void {
    this.dirty = false;
    for (const [uid, sprite] of this.sprites) {
      if (this.store.ships.has(uid)) continue;
      sprite.destroy();
      this.sprites.delete(uid);
    }
    const byFleet = new Map<string, Ship[]>();
    for (const ship of this.store.ships.values()) {
      const list = byFleet.get(ship.fleet);
      if (list) list.push(ship);
      else byFleet.set(ship.fleet, [ship]);
    }
    const fleets = [...byFleet.keys()].sort();
    const largest = Math.max(0, ...[...byFleet.values()].map((list) => list.length));
    const layout = layoutFleets(fleets.length, largest, this.scale.width, this.scale.height - TOP - BOTTOM);
    fleets.forEach((fleet, i) => {
      const ships = byFleet.get(fleet) ?? [];
      const cell = layout.cells[i];
      if (!cell) return;
      const slots = shipSlots({ ...cell, y: cell.y + TOP }, layout, ships.length);
      ships.forEach((ship, j) => {
        let sprite = this.sprites.get(ship.uid);
        if (!sprite) {
          sprite = this.add.image(0, 0, shipTexture(ship.state));
          this.sprites.set(ship.uid, sprite);
        }
        const slot = slots[j];
        if (slot)
          sprite.setPosition(slot.x, slot.y).setDisplaySize(layout.shipSize * 0.85, layout.shipSize * 0.85);
      });
    });
  }
}
