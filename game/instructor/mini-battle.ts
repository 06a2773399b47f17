import type { Ship } from '../store/protocol-types.ts';
import { layoutFleets, shipSlots } from '../view/formation.ts';
import { pageFont } from '../i18n/page.ts';

const COLOURS: Record<Ship['state'], string> = {
  warping: '#4fc3f7',
  flying: '#e7ecf7',
  damaged: '#ffb070',
  destroyed: '#ff6b6b',
};

/** A small map of every ship; clicking one calls `onPick` with its uid (manual fire). */
export class MiniBattle {
  private hits: { uid: string; x: number; y: number; r: number }[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    onPick: (ship: string) => void,
  ) {
    canvas.addEventListener('click', (e) => {
      const box = canvas.getBoundingClientRect();
      const x = ((e.clientX - box.left) * canvas.width) / box.width;
      const y = ((e.clientY - box.top) * canvas.height) / box.height;
      const hit = this.hits.find((h) => Math.hypot(h.x - x, h.y - y) <= h.r);
      if (hit) onPick(hit.uid);
    });
  }

  draw(ships: Iterable<Ship>): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const byFleet = new Map<string, Ship[]>();
    for (const s of ships) byFleet.set(s.fleet, [...(byFleet.get(s.fleet) ?? []), s]);
    const names = [...byFleet.keys()].sort();
    const largest = Math.max(0, ...[...byFleet.values()].map((l) => l.length));
    const layout = layoutFleets(names.length, largest, this.canvas.width, this.canvas.height);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.hits = [];
    ctx.font = `${layout.labelHeight - 2}px ${pageFont()}`;
    names.forEach((name, i) => {
      const cell = layout.cells[i]!;
      const fleet = byFleet.get(name)!.slice(0, layout.maxShipsPerFleet);
      ctx.fillStyle = '#ffd54a';
      ctx.fillText(name.slice(0, 16), cell.x + 4, cell.y + layout.labelHeight - 2);
      shipSlots(cell, layout, fleet.length).forEach((p, j) => {
        const ship = fleet[j]!;
        const r = layout.shipSize * 0.35;
        ctx.fillStyle = COLOURS[ship.state];
        ctx.beginPath();
        ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
        ctx.fill();
        this.hits.push({ uid: ship.uid, x: p.x, y: p.y, r: Math.max(r, 6) });
      });
    });
  }
}
