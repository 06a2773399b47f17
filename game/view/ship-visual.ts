import type { ControllerKind, ShipState } from '../store/protocol-types.ts';
import { words } from '../i18n/language.ts';

/** How a ship state looks: a data table the scene reads, so every state is tested without a renderer. */
export interface ShipVisual {
  alpha: number;
  /** Tint multiplied into the texture (0xRRGGBB). */
  tint: number;
  /** Warp streak behind the ship while it arrives. */
  warp: boolean;
  smoke: boolean;
  flicker: boolean;
  explosion: boolean;
}

const VISUALS: Record<ShipState, ShipVisual> = {
  warping: { alpha: 0.45, tint: 0x9fd8ff, warp: true, smoke: false, flicker: false, explosion: false },
  flying: { alpha: 1, tint: 0xffffff, warp: false, smoke: false, flicker: false, explosion: false },
  damaged: { alpha: 0.85, tint: 0xffb070, warp: false, smoke: true, flicker: true, explosion: false },
  destroyed: { alpha: 0.6, tint: 0xff5030, warp: false, smoke: false, flicker: false, explosion: true },
};

export function shipVisual(state: ShipState): ShipVisual {
  return VISUALS[state];
}

// Kind abbreviations are kubectl's in every language; only a bare pod's badge is a word (from the page table).
const BADGES: Record<Exclude<ControllerKind, 'Pod'>, string> = {
  ReplicationController: 'RC',
  ReplicaSet: 'RS',
  Deployment: 'Deploy',
  StatefulSet: 'STS',
  DaemonSet: 'DS',
  Job: 'Job',
};

/** Short controller badge shown next to a fleet name. */
export function controllerBadge(kind: ControllerKind): string {
  return kind === 'Pod' ? words().battle.bareBadge : BADGES[kind];
}

/** A ship launches from a Star Destroyer only when a controller owns it. */
export function hasMothership(kind: ControllerKind): boolean {
  return kind !== 'Pod';
}
