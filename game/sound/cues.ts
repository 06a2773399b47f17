import type { PilotCue } from '../pilot/session.ts';
import type { ShotEvent } from '../store/protocol-types.ts';
import { isShieldFlash } from '../view/kill-feed.ts';
import type { SoundName } from './sfx.ts';

/** The battle view's sounds: a shot is a laser or, when refused or dry, a shield. */
export function soundForShot(shot: ShotEvent): SoundName {
  return isShieldFlash(shot) ? 'shield' : 'laser';
}

/** Pilot mode's sounds follow the session's cues; messages are silent. */
export function soundForCue(cue: PilotCue): SoundName | null {
  switch (cue.type) {
    case 'explosion':
      return cue.big ? 'bigExplosion' : 'explosion';
    case 'gameOver':
    case 'message':
      return null;
    default:
      return cue.type;
  }
}
