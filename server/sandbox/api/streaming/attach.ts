// pods/attach: the client joins the container's main process. A shell started with stdin open (kubectl run -it)
// reads the client's input, and its exit ends the container, as the kubelet then records; any other process only
// shows what it writes from now on.
import { ClientInput, runProcess } from '../../container/exec.ts';
import type { ContainerInside } from '../../container/inside.ts';
import { commandOutput, followContainerLog, type PrintedOutput } from '../../kubelet/logs.ts';
import { interactiveShell } from '../../kubelet/programs.ts';
import type { ExecRequest } from './exec.ts';
import { REF } from '../../controllers/runtime.ts';
import { statusOf } from '../../pod/status.ts';
import { exitStatus, type StreamSession } from './session.ts';

export async function serveAttach(
  session: StreamSession,
  inside: ContainerInside,
  request: Omit<ExecRequest, 'argv'>,
  output: PrintedOutput,
  onExit: (exitCode: number) => void,
): Promise<void> {
  const gone = new AbortController();
  session.onGone(() => gone.abort());
  const container = inside.container;
  if (interactiveShell(container) && request.stdin) {
    const stdin = new ClientInput();
    session.onStdin((data) => stdin.push(data));
    session.onStdinEnd(() => stdin.end());
    session.onGone(() => stdin.end());
    const words = [...(container.command ?? []), ...(container.args ?? [])];
    const code = await runProcess(inside, words.length ? words : ['sh'], {
      stdin,
      stdout: request.stdout ? session.stdout : () => {},
      stderr: request.stderr ? session.stderr : () => {},
      tty: request.tty,
      // The shell is the container's own process: a client leaving closes its input, it does not kill it.
      signal: new AbortController().signal,
    });
    // Without stdinOnce a real shell would keep its stdin open for the next attach; here it ends with the client,
    // but the container is only recorded as exited when its input really ended (stdinOnce) or it exited itself.
    if (!gone.signal.aborted || (container as { stdinOnce?: boolean }).stdinOnce) onExit(code);
    session.finish(exitStatus(0, []));
    return;
  }
  // The output so far of a command that runs once through (what `kubectl run -i` came for), then what follows.
  const clock = inside.clock;
  const pod = inside.pod();
  for (const line of commandOutput(pod, container.name, output) ?? []) session.stdout(`${line.text}\n`);
  const stop = followContainerLog(
    pod,
    container.name,
    clock,
    clock.now(),
    (line) => session.stdout(`${line.text}\n`),
    output,
  );
  // The stream ends with the container's process, as the runtime closes it, or when the client leaves.
  const restarts = statusOf(pod).containerStatuses?.find((s) => s.name === container.name)?.restartCount;
  let unwatch = () => {};
  await new Promise<void>((resolve) => {
    gone.signal.addEventListener('abort', () => resolve(), { once: true });
    unwatch = inside.client.watch(
      REF.pods,
      { namespace: pod.metadata.namespace ?? 'default', fieldSelector: `metadata.name=${pod.metadata.name}` },
      (event) => {
        const status = statusOf(event.object).containerStatuses?.find((s) => s.name === container.name);
        const same = event.object.metadata.uid === pod.metadata.uid && status?.restartCount === restarts;
        if (event.type === 'DELETED' || !same || !status || !('running' in status.state)) resolve();
      },
    );
  });
  unwatch();
  stop();
  if (!gone.signal.aborted) session.finish(exitStatus(0, []));
}
