// What a container's main process does with the machine, judged from its image and command as programOf judges
// whether it ends: a busy loop burns a core, a loop of wget/curl sends requests (which the servers behind them
// must answer), `stress` asks for cores and memory, anything else sits idle. Pure.
import { imageName, scriptOf, sleepMs } from '../kubelet/programs.ts';
import { parseQuantity } from '../scheduler/quantity.ts';

interface ContainerLike {
  image?: string;
  command?: string[];
  args?: string[];
}

/** HTTP requests one container sends, to one host name or address (and port, when the URL has one). */
export interface RequestFlow {
  host: string;
  port: number;
  perSecond: number;
}

export interface Activity {
  /** Cores the process would use if nothing held it back. */
  cpuCores: number;
  /** Bytes the process holds. */
  memoryBytes: number;
  requests: RequestFlow[];
}

const MI = 2 ** 20;

/** Resting footprint of the images a cluster runs, [cores, bytes], near what metrics-server shows for them. */
const RESTING: Record<string, [number, number]> = {
  'kube-apiserver': [0.045, 260 * MI],
  etcd: [0.02, 45 * MI],
  'kube-controller-manager': [0.015, 50 * MI],
  'kube-scheduler': [0.004, 22 * MI],
  coredns: [0.002, 16 * MI],
  'kube-proxy': [0.001, 18 * MI],
  flannel: [0.003, 15 * MI],
  nginx: [0.0005, 3 * MI],
  httpd: [0.001, 7 * MI],
  busybox: [0, 0.4 * MI],
  alpine: [0, 0.6 * MI],
  'http-echo': [0.0005, 2 * MI],
};
const RESTING_DEFAULT: [number, number] = [0.001, 6 * MI];

/** A request's round trip in a shell loop (connect, send, read), s: a loop without sleep sends ~200/s. */
const REQUEST_ROUND_TRIP_S = 0.005;
/** CPU a client spends per request it sends (fork of wget, TLS-less HTTP), core-seconds. */
const CLIENT_CPU_PER_REQUEST = 0.0004;

const LOOP = /\b(while\s+(true|:|\[|sleep\b)|until\s+false|for\s*\(\(\s*;\s*;)/;
const HTTP_CLIENT = /\b(wget|curl)\b/;
const URL = /(?:https?:\/\/)?([A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d+))?(?:\/\S*)?/;

/** The hosts a loop's wget/curl calls name, e.g. `wget -q -O- http://hello` → hello:80. */
function requestedHosts(script: string): { host: string; port: number }[] {
  const found: { host: string; port: number }[] = [];
  for (const command of script.split(/;|&&|\|\||\||\bdo\b|\bdone\b/)) {
    const words = command.trim().split(/\s+/);
    const client = words.findIndex((word) => HTTP_CLIENT.test(word));
    if (client < 0) continue;
    // The URL is the first word after the client that is no option (nor an option's value such as -O-).
    const target = words.slice(client + 1).find((word) => !word.startsWith('-') && !/^['"]?-/.test(word));
    const match = target && URL.exec(target.replace(/^['"]|['"]$/g, ''));
    if (match?.[1]) found.push({ host: match[1], port: Number(match[2] ?? 80) });
  }
  return found;
}

/** `stress --cpu 2 --vm 1 --vm-bytes 250M`: its workers' cores and bytes. */
function stressDemand(words: string[]): { cores: number; bytes: number } | undefined {
  const at = words.findIndex((word) => /(^|\/)stress(-ng)?$/.test(word));
  if (at < 0) return undefined;
  const flag = (name: string) => {
    const index = words.indexOf(name, at);
    return index >= 0 ? words[index + 1] : undefined;
  };
  const cpuWorkers = Number(flag('--cpu') ?? flag('-c') ?? 0);
  const vmWorkers = Number(flag('--vm') ?? flag('-m') ?? 0);
  // stress's --vm-bytes takes B, K, M, G suffixes (powers of 1024); 256M per worker when not given.
  const size = /^(\d+(?:\.\d+)?)([BKMG]?)$/i.exec(flag('--vm-bytes') ?? '256M');
  const unit = { '': 1, B: 1, K: 1024, M: MI, G: 2 ** 30 }[(size?.[2] ?? 'M').toUpperCase()] ?? MI;
  return { cores: cpuWorkers + vmWorkers, bytes: vmWorkers * Number(size?.[1] ?? 256) * unit };
}

export function activityOf(container: ContainerLike): Activity {
  const [restingCores, restingBytes] = RESTING[imageName(container.image)] ?? RESTING_DEFAULT;
  const script = scriptOf(container);
  const stress = stressDemand(script.split(/\s+/));
  if (stress)
    return { cpuCores: restingCores + stress.cores, memoryBytes: restingBytes + stress.bytes, requests: [] };
  if (!LOOP.test(script)) return { cpuCores: restingCores, memoryBytes: restingBytes, requests: [] };
  // Seconds a turn of the loop sleeps (`sleep 0.01` in its body, or the condition `while sleep 0.5`).
  const sleeping = sleepMs(script) / 1000;
  const hosts = requestedHosts(script);
  if (hosts.length) {
    const turnsPerSecond = 1 / (sleeping + REQUEST_ROUND_TRIP_S * hosts.length);
    return {
      cpuCores: restingCores + turnsPerSecond * hosts.length * CLIENT_CPU_PER_REQUEST,
      memoryBytes: restingBytes + MI,
      requests: hosts.map((host) => ({ ...host, perSecond: turnsPerSecond })),
    };
  }
  // A loop that never sleeps nor waits on the network spins on one core.
  return { cpuCores: sleeping > 0 ? restingCores : 1, memoryBytes: restingBytes, requests: [] };
}

/** CPU a web server spends answering one simulated request, core-seconds (a small dynamic page). */
export const SERVER_CPU_PER_REQUEST = 0.0025;
/** Memory a busy server holds for its connections in flight, per request per second. */
export const SERVER_BYTES_PER_REQUEST_RATE = 16 * 1024;

/** The container's memory limit in bytes, if it has one. */
export function memoryLimitOf(
  container: ContainerLike & { resources?: { limits?: Record<string, unknown> } },
) {
  const limit = container.resources?.limits?.memory;
  return limit === undefined ? undefined : parseQuantity(limit);
}
