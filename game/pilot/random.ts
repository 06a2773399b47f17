import type { Random } from './world.ts';

/**
 * A small seeded generator (mulberry32): the same seed gives the same drift and enemy fire, so a pilot game can be
 * replayed in tests (`/game?pilot=1&seed=7`). Not for anything secret.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
