import { inputFromKeys, PILOT_KEYS, wantsRestart } from './input.ts';
import type { PilotInput } from './world.ts';

/** Which keys are held, from DOM key events; the mapping to flight controls lives in input.ts. */
export class Keyboard {
  private readonly pressed = new Set<string>();

  constructor(target: Window) {
    target.addEventListener('keydown', (e) => {
      if (!PILOT_KEYS.has(e.code)) return;
      // Arrows and Space would otherwise scroll the page or press a focused button.
      e.preventDefault();
      this.pressed.add(e.code);
    });
    target.addEventListener('keyup', (e) => this.pressed.delete(e.code));
    // A key released while the window had no focus never sends keyup: forget everything instead of flying on.
    target.addEventListener('blur', () => this.pressed.clear());
  }

  input(): PilotInput {
    return inputFromKeys(this.pressed);
  }

  restart(): boolean {
    return wantsRestart(this.pressed);
  }
}
