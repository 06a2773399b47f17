/** Where fleets and their ships go on the field, for 1–100 fleets and up to 1,000 ships. Pure geometry. */

export interface FleetCell {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FormationLayout {
  cells: FleetCell[];
  /** Edge length of one ship, shrinking as the field fills up. */
  shipSize: number;
  /** Ships shown per fleet; the rest are summarised as "+N". */
  maxShipsPerFleet: number;
  labelHeight: number;
}

const MIN_SHIP = 6;
// Large enough to read from the back of a room when only a few fleets are on the field.
const MAX_SHIP = 64;
const MIN_LABEL = 11;

/**
 * Splits the field into a grid of fleet cells as close to square as the aspect allows, then sizes ships so that
 * the largest fleet fits its cell (down to a legible minimum; beyond that ships overflow into a count).
 */
export function layoutFleets(
  fleetCount: number,
  largestFleet: number,
  width: number,
  height: number,
): FormationLayout {
  if (fleetCount <= 0) return { cells: [], shipSize: MAX_SHIP, maxShipsPerFleet: 0, labelHeight: MIN_LABEL };
  const columns = Math.max(1, Math.min(fleetCount, Math.round(Math.sqrt((fleetCount * width) / height))));
  const rows = Math.ceil(fleetCount / columns);
  const cellW = width / columns;
  const cellH = height / rows;
  // Small enough that about ten characters of a name fit the cell width, large enough to read from the back row.
  const labelHeight = Math.max(MIN_LABEL, Math.min(22, Math.floor(cellH * 0.18), Math.floor(cellW / 8)));
  const shipArea = { w: cellW * 0.9, h: Math.max(1, cellH - labelHeight - 4) };
  const shipSize = clamp(fitSquares(Math.max(1, largestFleet), shipArea.w, shipArea.h), MIN_SHIP, MAX_SHIP);
  const perRow = Math.max(1, Math.floor(shipArea.w / shipSize));
  const perCol = Math.max(1, Math.floor(shipArea.h / shipSize));
  const cells: FleetCell[] = [];
  for (let i = 0; i < fleetCount; i++) {
    cells.push({ x: (i % columns) * cellW, y: Math.floor(i / columns) * cellH, width: cellW, height: cellH });
  }
  return { cells, shipSize, maxShipsPerFleet: perRow * perCol, labelHeight };
}

/** Ship centre offsets inside a cell (below its label), row by row, for `count` ships (already capped). */
export function shipSlots(
  cell: FleetCell,
  layout: FormationLayout,
  count: number,
): { x: number; y: number }[] {
  const size = layout.shipSize;
  const perRow = Math.max(1, Math.floor((cell.width * 0.9) / size));
  const used = Math.min(count, perRow);
  const left = cell.x + (cell.width - used * size) / 2 + size / 2;
  const top = cell.y + layout.labelHeight + 4 + size / 2;
  const slots: { x: number; y: number }[] = [];
  for (let i = 0; i < count; i++) {
    slots.push({ x: left + (i % perRow) * size, y: top + Math.floor(i / perRow) * size });
  }
  return slots;
}

/**
 * The cell moved down so that its label and `count` ships sit in its vertical middle: with few fleets a cell is
 * tall, and a formation stuck to its top edge leaves the rest of the screen empty.
 */
export function centredCell(cell: FleetCell, layout: FormationLayout, count: number): FleetCell {
  const perRow = Math.max(1, Math.floor((cell.width * 0.9) / layout.shipSize));
  const block = layout.labelHeight + 4 + Math.ceil(Math.max(1, count) / perRow) * layout.shipSize;
  const shift = Math.max(0, Math.floor((cell.height - block) / 2));
  return { ...cell, y: cell.y + shift, height: cell.height - shift };
}

/** Largest square edge so that n squares tile a w×h box. */
function fitSquares(n: number, w: number, h: number): number {
  let best = 0;
  for (let perRow = 1; perRow <= n; perRow++) {
    const rows = Math.ceil(n / perRow);
    best = Math.max(best, Math.min(w / perRow, h / rows));
  }
  return Math.floor(best);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** Average glyph width as a share of the font size, for sans-serif labels. */
const GLYPH = 0.56;

/**
 * A fleet label that fits its cell: name, controller badges and overflow count; badges go first, then the name is
 * shortened, so neighbouring labels never run into each other.
 */
export function fleetLabel(
  name: string,
  badges: string,
  overflow: number,
  maxWidth: number,
  fontSize: number,
): string {
  const maxChars = Math.max(3, Math.floor(maxWidth / (fontSize * GLYPH)));
  const more = overflow > 0 ? ` +${overflow}` : '';
  const full = `${name} [${badges}]${more}`;
  if (full.length <= maxChars) return full;
  if (name.length + more.length <= maxChars) return name + more;
  return `${name.slice(0, Math.max(1, maxChars - more.length - 1))}…${more}`;
}
