// A registry on a fake clock and a seeded random source, plus a helper to await watch deliveries.
import { createRegistry } from '../../../server/sandbox/registry/index.ts';
import type { Clock, KubeObject, SandboxRegistry } from '../../../server/sandbox/types.ts';

export function fakeClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: () => undefined,
    clearTimeout: () => undefined,
    advance(ms) {
      now += ms;
    },
  };
}

export function seededRandom(seed = 42): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export function newRegistry(): { registry: SandboxRegistry; clock: ReturnType<typeof fakeClock> } {
  const clock = fakeClock();
  return { registry: createRegistry({ clock, random: seededRandom() }), clock };
}

export const PODS = { group: '', resource: 'pods' };
export const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };
export const NAMESPACES = { group: '', resource: 'namespaces' };
export const CONFIGMAPS = { group: '', resource: 'configmaps' };

export function pod(
  name: string,
  extra: Partial<KubeObject> = {},
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    ...extra,
  };
}

/** Lets queued microtasks (watch deliveries) run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
