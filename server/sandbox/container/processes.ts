// A container's process table for `ps`: PID 1 is the container's command, then whatever exec sessions run.
import type { Clock } from '../../clock.ts';

export interface ProcessEntry {
  pid: number;
  command: string;
  startedAt: number;
}

export class ProcessTable {
  private readonly running = new Map<number, ProcessEntry>();
  private nextPid = 7;

  constructor(
    main: string,
    private readonly clock: Clock,
  ) {
    this.running.set(1, { pid: 1, command: main, startedAt: clock.now() });
  }

  start(command: string): number {
    const pid = this.nextPid++;
    this.running.set(pid, { pid, command, startedAt: this.clock.now() });
    return pid;
  }

  end(pid: number): void {
    if (pid !== 1) this.running.delete(pid);
  }

  list(): ProcessEntry[] {
    return [...this.running.values()].sort((a, b) => a.pid - b.pid);
  }
}
