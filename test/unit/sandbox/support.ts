// A registry on a fake clock and a seeded random source, plus a helper to await watch deliveries.
import { createRegistry } from '../../../server/sandbox/registry/index.ts';
import type { KubeObject, SandboxRegistry } from '../../../server/sandbox/types.ts';
import { seededRandom } from '../../../server/random.ts';
import { FakeClock } from '../../support/fake-clock.ts';

export function newRegistry(): { registry: SandboxRegistry; clock: FakeClock } {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
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
