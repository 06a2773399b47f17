// Injected randomness, so a run (the chaos engine's targets, a pilot game, the sandbox's jitter) can be replayed.

/** A source of numbers in [0, 1), like Math.random. */
export type RandomSource = () => number;

/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence on every run. Not for anything
 * secret. Pure, so the browser bundles it too.
 */
export function seededRandom(seed = 42): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
