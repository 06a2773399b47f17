// What `kubectl logs` shows for a simulated container: plausible output for well-known images (nginx start-up and
// probe access lines, shell `echo`s — once or in a loop —, hello-world images) and the declared command otherwise.
// Lines carry their time, so a follower is woken by a timer at the next line, never by polling.
import type { KubeObject } from '../types.ts';
import { imageName, scriptOf } from './programs.ts';
import { specOf, type ContainerSpec } from '../pod/spec.ts';
import { statusOf, type ContainerStatus } from '../pod/status.ts';
import type { Clock } from '../../clock.ts';

export interface LogLine {
  at: number;
  text: string;
}

/** What containers' own commands really printed, when they ran in the sandbox's container insides. */
export interface PrintedOutput {
  output(pod: KubeObject, container: string, restartCount: number): LogLine[] | undefined;
  subscribe(
    pod: KubeObject,
    container: string,
    restartCount: number,
    onLine: (line: LogLine) => void,
  ): () => void;
}

/** An endless shell loop, whose log the script below writes line by line as time passes. */
const LOOP = /\bwhile\s+(?:true|:|\[[^\]]*\])\s*;?\s*do\b([\s\S]*?)\bdone\b/;

/** A command that runs once through (no endless loop): its log is what it really printed, when it ran. */
function printedLog(
  found: { container: ContainerSpec; restartCount: number },
  pod: KubeObject,
  printed: PrintedOutput | undefined,
): LogLine[] | undefined {
  const words = [...(found.container.command ?? []), ...(found.container.args ?? [])];
  if (!printed || !words.length || LOOP.test(scriptOf(found.container))) return undefined;
  return printed.output(pod, found.container.name, found.restartCount);
}

interface LogScript {
  startup: string[];
  /** A line every `everyMs`; `n` counts iterations from 0. */
  periodic?: { everyMs: number; line: (n: number, at: number) => string };
}

const nginxTime = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const accessTime = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
};
const dateText = (ms: number) => new Date(ms).toUTCString().replace('GMT', 'UTC');

function nginxScript(container: ContainerSpec, pod: KubeObject, startedAt: number): LogScript {
  const version = /:(\d+\.\d+(?:\.\d+)?)/.exec(container.image ?? '')?.[1] ?? '1.27.5';
  const t = nginxTime(startedAt);
  const probe =
    (container as { livenessProbe?: { periodSeconds?: number; httpGet?: { path?: string } } })
      .livenessProbe ??
    (container as { readinessProbe?: { periodSeconds?: number; httpGet?: { path?: string } } })
      .readinessProbe;
  const hostIP = (pod.status as { hostIP?: string } | undefined)?.hostIP ?? '10.244.0.1';
  return {
    startup: [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: nginx/${version}`,
      `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)`,
      `${t} [notice] 1#1: OS: Linux 6.8.0-60-generic`,
      `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      `${t} [notice] 1#1: start worker processes`,
      `${t} [notice] 1#1: start worker process 29`,
      `${t} [notice] 1#1: start worker process 30`,
    ],
    ...(probe?.httpGet
      ? {
          periodic: {
            everyMs: (probe.periodSeconds ?? 10) * 1000,
            line: (_n: number, at: number) =>
              `${hostIP} - - [${accessTime(at)}] "GET ${probe.httpGet?.path ?? '/'} HTTP/1.1" 200 615 "-" "kube-probe/1.35" "-"`,
          },
        }
      : {}),
  };
}

/** The words an `echo` prints, with the usual expansions a lesson uses. */
function echoText(args: string, pod: KubeObject, at: number, n: number): string {
  return args
    .trim()
    .replace(/^-[ne]+\s+/, '')
    .replace(/\$\(date\)|`date`/g, dateText(at))
    .replace(/\$\(hostname\)|\$HOSTNAME|\$\{HOSTNAME\}/g, pod.metadata.name ?? '')
    .replace(/\$\{?i\}?|\$\{?n\}?|\$\{?count\}?/g, String(n))
    .replace(/["']/g, '');
}

function statements(script: string): string[] {
  return script
    .split(/;|&&|\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const COUNTER = String.raw`(?:i|n|count)`;
const ASSIGNED = new RegExp(String.raw`(?:^|[;\s])${COUNTER}=(\d+)`);
const INCREMENT = new RegExp(
  String.raw`\b${COUNTER}=\$\(\(|\b${COUNTER}=\$\(expr\b|\(\(\s*${COUNTER}\s*(?:\+\+|\+=)|\blet\s+"?${COUNTER}\b`,
);

/**
 * The loop counter's value in the first iteration's echo: as assigned before the loop (1 when it is not, as
 * lessons count from 1), plus one when the body increments it before it echoes.
 */
function counterStart(before: string, body: string): number {
  const assigned = ASSIGNED.exec(before);
  const start = assigned ? Number(assigned[1]) : 1;
  const increment = INCREMENT.exec(body);
  const echo = /\becho\b/.exec(body);
  return start + (increment && echo && increment.index < echo.index ? 1 : 0);
}

function shellScript(container: ContainerSpec, pod: KubeObject, startedAt: number): LogScript {
  const script = scriptOf(container);
  const loop = LOOP.exec(script);
  const before = loop ? script.slice(0, loop.index) : script;
  const echoes = (part: string) =>
    statements(part)
      .filter((s) => /^echo\b/.test(s))
      .map((s) => s.slice(4));
  const startup = echoes(before).map((args) => echoText(args, pod, startedAt, 0));
  if (!loop) {
    if (/^(\/bin\/)?date$/.test(script.trim())) startup.push(dateText(startedAt));
    return { startup };
  }
  const body = loop[1] ?? '';
  const bodyEchoes = echoes(body);
  const sleep = Number(/\bsleep\s+(\d+(?:\.\d+)?)/.exec(body)?.[1] ?? 1);
  const first = counterStart(before, body);
  return {
    startup,
    ...(bodyEchoes.length
      ? {
          periodic: {
            everyMs: Math.max(sleep, 0.1) * 1000,
            line: (n: number, at: number) =>
              bodyEchoes.map((args) => echoText(args, pod, at, first + n)).join('\n'),
          },
        }
      : {}),
  };
}

function scriptFor(container: ContainerSpec, pod: KubeObject, startedAt: number): LogScript {
  const name = imageName(container.image);
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  if (name === 'nginx' || name === 'nginx-slim' || /starship/.test(container.image ?? '')) {
    if (words.length === 0) return nginxScript(container, pod, startedAt);
  }
  if (name === 'hello-world' && (container.image ?? '').includes('tutum/')) {
    return { startup: ['Starting php-fpm and nginx', 'nginx: serving the hello-world page on port 80'] };
  }
  if (name === 'hello-world') {
    return {
      startup: [
        '',
        'Hello from Docker!',
        'This message shows that your installation appears to be working correctly.',
        '',
      ],
    };
  }
  if (name === 'httpd' && words.length === 0) {
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP ?? '10.244.1.2';
    return {
      startup: [
        `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message`,
        `[${dateText(startedAt)}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.63 (Unix) configured -- resuming normal operations`,
        `[${dateText(startedAt)}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`,
      ],
    };
  }
  if (name === 'redis' && words.length === 0) {
    return {
      startup: [
        '1:C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
        '1:M * Server initialized',
        '1:M * Ready to accept connections tcp',
      ],
    };
  }
  if (words.length) {
    const shell = shellScript(container, pod, startedAt);
    if (shell.startup.length || shell.periodic) return shell;
    return { startup: [`${words.join(' ')}: started`] };
  }
  return { startup: [] };
}

function instance(pod: KubeObject, containerName: string | undefined, previous: boolean) {
  const containers = specOf(pod).containers ?? [];
  const container = containers.find((c) => c.name === (containerName ?? containers[0]?.name));
  const status = statusOf(pod).containerStatuses?.find((c) => c.name === container?.name);
  if (!container || !status) return undefined;
  const ran = (state: ContainerStatus['lastState'] | undefined) =>
    Boolean(state && ('running' in state || 'terminated' in state));
  // As the kubelet picks: a container waiting to restart (CrashLoopBackOff) shows its last run's log.
  const earlier = previous || !ran(status.state);
  const state = earlier ? status.lastState : status.state;
  if (!state || !('running' in state || 'terminated' in state)) return undefined;
  const restartCount = earlier ? status.restartCount - 1 : status.restartCount;
  const startedAt = Date.parse('running' in state ? state.running.startedAt : state.terminated.startedAt);
  const endedAt = 'terminated' in state ? Date.parse(state.terminated.finishedAt) : Infinity;
  return { container, startedAt, endedAt, restartCount };
}

/** Lines the container (or its previous instance) wrote up to `now`; undefined when that instance never ran. */
export function containerLog(
  pod: KubeObject,
  containerName: string | undefined,
  now: number,
  options: { previous?: boolean; printed?: PrintedOutput } = {},
): LogLine[] | undefined {
  const found = instance(pod, containerName, options.previous ?? false);
  if (!found) return undefined;
  const printed = printedLog(found, pod, options.printed);
  if (printed) return printed;
  const script = scriptFor(found.container, pod, found.startedAt);
  const until = Math.min(now, found.endedAt);
  const lines: LogLine[] = script.startup.map((text) => ({ at: found.startedAt, text }));
  if (script.periodic) {
    // At most the last 1000 iterations: a long-lived loop's log is long, the sandbox keeps its tail.
    const total = Math.floor((until - found.startedAt) / script.periodic.everyMs);
    for (let n = Math.max(0, total - 1000); n <= total; n++) {
      const at = found.startedAt + n * script.periodic.everyMs;
      for (const text of script.periodic.line(n, at).split('\n')) lines.push({ at, text });
    }
  }
  return lines;
}

/** What a one-shot command printed so far; undefined for servers, loops and containers that never ran. */
export function commandOutput(
  pod: KubeObject,
  containerName: string | undefined,
  printed: PrintedOutput,
): LogLine[] | undefined {
  const found = instance(pod, containerName, false);
  return found ? printedLog(found, pod, printed) : undefined;
}

/** Stream lines written after `from` as the clock reaches them (for `kubectl logs -f`); returns a stop function. */
export function followContainerLog(
  pod: KubeObject,
  containerName: string | undefined,
  clock: Clock,
  from: number,
  onLine: (line: LogLine) => void,
  printed?: PrintedOutput,
): () => void {
  const found = instance(pod, containerName, false);
  if (found && printedLog(found, pod, printed)) {
    return printed?.subscribe(pod, found.container.name, found.restartCount, onLine) ?? (() => {});
  }
  const periodic = found ? scriptFor(found.container, pod, found.startedAt).periodic : undefined;
  if (!found || !periodic) return () => {};
  let handle: unknown;
  let stopped = false;
  const scheduleAfter = (after: number) => {
    const n = Math.floor((after - found.startedAt) / periodic.everyMs) + 1;
    const at = found.startedAt + n * periodic.everyMs;
    if (at > found.endedAt) return; // a finished instance writes nothing more
    handle = clock.setTimeout(() => {
      if (stopped) return;
      for (const text of periodic.line(n, at).split('\n')) onLine({ at, text });
      scheduleAfter(at);
    }, at - clock.now());
  };
  scheduleAfter(from);
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}
