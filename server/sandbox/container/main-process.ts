// Each running container's own command (`sh -c 'echo saved > /data/state; sleep 3600'`), run in its inside as the
// runtime would: its writes land in the container's files and volumes, and what it prints is kept as its log, so
// `kubectl logs` and `kubectl run -i` show the real output of a one-shot command.
import type { KubeObject } from '../types.ts';
import { specOf } from '../pod/spec.ts';
import { statusOf } from '../pod/status.ts';
import { runProcess } from './exec.ts';
import { findCommand } from './commands/index.ts';
import type { ContainerInsides } from './inside.ts';
import type { LogLine, PrintedOutput } from '../kubelet/logs.ts';
import type { Clock } from '../../clock.ts';

/** A long-running loop keeps only its tail, as the sandbox keeps every log's. */
const KEPT_LINES = 1000;

interface Run {
  lines: LogLine[];
  /** The text after the last newline, printed once the line ends. */
  partial: string;
  stop: AbortController;
  listeners: Set<(line: LogLine) => void>;
}

const instanceKey = (uid: string | undefined, container: string, restartCount: number) =>
  `${uid}/${container}/${restartCount}`;

export class MainProcesses implements PrintedOutput {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly insides: ContainerInsides,
    private readonly clock: Clock,
  ) {}

  /** Follows the pods' container states: starts each new container's command, stops it when the container ends. */
  start(): () => void {
    const unwatch = this.insides.watchPods((event) => {
      if (event.type === 'DELETED') return this.stopPod(event.object.metadata.uid);
      if (event.type === 'ADDED' || event.type === 'MODIFIED') this.follow(event.object);
    });
    return () => {
      unwatch();
      for (const run of this.runs.values()) run.stop.abort();
      this.runs.clear();
    };
  }

  /** What the container's command printed (stdout and stderr, as the runtime logs both); undefined when it never ran here. */
  output(pod: KubeObject, container: string, restartCount: number): LogLine[] | undefined {
    const run = this.runs.get(instanceKey(pod.metadata.uid, container, restartCount));
    if (!run) return undefined;
    return run.partial ? [...run.lines, { at: this.clock.now(), text: run.partial }] : run.lines;
  }

  /** Calls `onLine` for each line the container's command prints from now on; returns a stop function. */
  subscribe(
    pod: KubeObject,
    container: string,
    restartCount: number,
    onLine: (line: LogLine) => void,
  ): () => void {
    const run = this.runs.get(instanceKey(pod.metadata.uid, container, restartCount));
    run?.listeners.add(onLine);
    return () => run?.listeners.delete(onLine);
  }

  private follow(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    for (const container of specOf(pod).containers ?? []) {
      const status = statusOf(pod).containerStatuses?.find((s) => s.name === container.name);
      if (!status) continue;
      // An earlier instance of a restarted container, or one that stopped: its process ends with it.
      for (let n = 0; n <= status.restartCount; n++) {
        const key = instanceKey(uid, container.name, n);
        if (n < status.restartCount || !('running' in status.state)) this.runs.get(key)?.stop.abort();
      }
      if (!('running' in status.state)) continue;
      const key = instanceKey(uid, container.name, status.restartCount);
      if (this.runs.has(key)) continue;
      const argv = [...(container.command ?? []), ...(container.args ?? [])];
      // An image's own entrypoint (nginx, http-echo …) is simulated by the inside itself; only commands it knows run.
      if (!argv.length) continue;
      const inside = this.insides.reach(pod, container.name);
      if (!inside || !findCommand(argv[0] ?? '', inside)) continue;
      const run: Run = { lines: [], partial: '', stop: new AbortController(), listeners: new Set() };
      this.runs.set(key, run);
      const print = (data: string | Buffer) => this.print(run, data.toString());
      void runProcess(inside, argv, { stdout: print, stderr: print, tty: false, signal: run.stop.signal })
        .catch((error: unknown) => print(`${(error as Error).message}\n`))
        .finally(() => {
          if (run.partial) this.print(run, '\n');
        });
    }
  }

  private print(run: Run, text: string): void {
    const parts = (run.partial + text).split('\n');
    run.partial = parts.pop() ?? '';
    const at = this.clock.now();
    for (const part of parts) {
      const line = { at, text: part };
      run.lines.push(line);
      for (const listener of run.listeners) listener(line);
    }
    if (run.lines.length > KEPT_LINES) run.lines.splice(0, run.lines.length - KEPT_LINES);
  }

  private stopPod(uid: string | undefined): void {
    for (const [key, run] of this.runs) {
      if (!key.startsWith(`${uid}/`)) continue;
      run.stop.abort();
      this.runs.delete(key);
    }
  }
}
