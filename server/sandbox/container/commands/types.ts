// What a command run inside a container gets: its arguments, environment, working directory, the container it
// runs in, and its standard streams.
import type { ContainerInside } from '../inside.ts';
import type { ShellIO } from '../shell/interpreter.ts';

export type Output = (data: string | Buffer) => void;

export interface CommandContext {
  /** The command's own name, without a directory (`/bin/ls` → ls). */
  name: string;
  args: string[];
  env: Map<string, string>;
  cwd: string;
  inside: ContainerInside;
  /** Everything still to read on stdin (a pipe's bytes or the client's input until it closes). */
  stdin: () => Promise<Buffer>;
  stdout: Output;
  stderr: Output;
  /** Aborted when the client goes away or presses Ctrl-C on a tty. */
  signal: AbortSignal;
  tty: boolean;
  /** Runs a script in a child shell (sh -c, for … ). */
  shell(script: string, io?: ShellIO): Promise<number>;
}

export type CommandRun = (context: CommandContext) => Promise<number> | number;
