// The address attendees use to reach the room: written into their kubeconfigs and the printed URLs.
import { networkInterfaces } from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * `--host` when it names one address; for a wildcard, the machine's first non-internal IPv4 (the one a laptop on
 * the room's Wi-Fi most likely has), or loopback on a machine without a network.
 */
export function defaultPublicAddress(
  listenHost: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string {
  if (!WILDCARDS.has(listenHost)) return listenHost;
  const external = Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .find((entry) => entry.family === 'IPv4' && !entry.internal);
  return external?.address ?? '127.0.0.1';
}
