import type { PilotInput } from './world.ts';

/** Keys pilot mode uses (KeyboardEvent.code); the page keeps the browser from scrolling on them. */
export const PILOT_KEYS = new Set([
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'KeyA',
  'KeyD',
  'KeyW',
  'Space',
  'Enter',
]);

/** Arrows or WASD turn and thrust, Space fires; left and right together cancel out. */
export function inputFromKeys(pressed: ReadonlySet<string>): PilotInput {
  const left = pressed.has('ArrowLeft') || pressed.has('KeyA');
  const right = pressed.has('ArrowRight') || pressed.has('KeyD');
  return {
    turn: left === right ? 0 : left ? -1 : 1,
    thrust: pressed.has('ArrowUp') || pressed.has('KeyW'),
    fire: pressed.has('Space'),
  };
}

/** Enter starts a new game once the last life is gone. */
export function wantsRestart(pressed: ReadonlySet<string>): boolean {
  return pressed.has('Enter');
}
