// Kubernetes resource quantities ("100m", "1.5", "64Mi", "1G", "129e6") as numbers: cpu in millicores, the rest in units.

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes, pods); 0 for anything unparsable, as an absent request. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return 0;
  const multiplier = SUFFIX[match[2] ?? ''];
  return multiplier === undefined ? 0 : Number(match[1]) * multiplier;
}

export function milliCpu(value: unknown): number {
  return Math.round(parseQuantity(value) * 1000);
}
