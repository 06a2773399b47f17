// pods/exec over an open stream session: runs the command in the container with the streams the client asked for
// and ends with the exit status on the error stream.
import { ClientInput, ExecStartError, runProcess } from '../../container/exec.ts';
import type { ContainerInside } from '../../container/inside.ts';
import { queryFlag } from '../query-flags.ts';
import { exitStatus, failureStatus, type StreamSession } from './session.ts';

export interface ExecRequest {
  argv: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function execRequest(query: URLSearchParams): ExecRequest {
  const flag = (name: string) => queryFlag(query, name);
  return {
    argv: query.getAll('command'),
    stdin: flag('stdin'),
    stdout: flag('stdout'),
    stderr: flag('stderr'),
    tty: flag('tty'),
  };
}

export async function serveExec(
  session: StreamSession,
  inside: ContainerInside,
  request: ExecRequest,
): Promise<void> {
  const aborted = new AbortController();
  session.onGone(() => aborted.abort());
  const stdin = request.stdin ? new ClientInput() : undefined;
  if (stdin) {
    session.onStdin((data) => stdin.push(data));
    session.onStdinEnd(() => stdin.end());
  }
  try {
    const code = await runProcess(inside, request.argv, {
      ...(stdin ? { stdin } : {}),
      stdout: request.stdout ? session.stdout : () => {},
      stderr: request.stderr ? session.stderr : () => {},
      tty: request.tty,
      signal: aborted.signal,
    });
    session.finish(exitStatus(code, request.argv));
  } catch (error) {
    if (!(error instanceof ExecStartError)) throw error;
    session.finish(failureStatus(error.message));
  }
}
