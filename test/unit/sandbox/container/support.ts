// Containers to run commands in, on an in-memory registry: pods written as a kubelet would have them running.
import { ClientInput, runProcess } from '../../../../server/sandbox/container/exec.ts';
import { ContainerInsides } from '../../../../server/sandbox/container/inside.ts';
import type { KubeObject, SandboxRegistry } from '../../../../server/sandbox/types.ts';
import { seededRandom } from '../../../../server/random.ts';
import { newRegistry, PODS } from '../support.ts';

export const SERVICES = { group: '', resource: 'services' };
export const ENDPOINTS = { group: '', resource: 'endpoints' };

export function cluster() {
  const { registry, clock } = newRegistry();
  const insides = new ContainerInsides(registry, clock, seededRandom());
  return { registry, clock, insides };
}

/** Creates the pod and marks its containers running at `ip`, as the kubelet would. */
export function runningPod(
  registry: SandboxRegistry,
  name: string,
  spec: Record<string, unknown>,
  ip: string,
  namespace = 'default',
  labels: Record<string, string> = {},
): KubeObject {
  const created = registry.create(PODS, namespace, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: 'worker-1', ...spec },
  });
  const containers = (spec.containers as { name: string; image: string }[]).map((c) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
    lastState: {},
  }));
  return registry.update(
    PODS,
    namespace,
    {
      ...created,
      status: {
        phase: 'Running',
        podIP: ip,
        startTime: '2026-01-01T00:00:00Z',
        containerStatuses: containers,
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    },
    { subresource: 'status' },
  );
}

/** Runs argv in the pod's first container; returns what it wrote and its exit code. */
export async function run(
  insides: ContainerInsides,
  pod: KubeObject,
  argv: string[],
  options: { stdin?: string[]; tty?: boolean } = {},
) {
  let stdout = '';
  let stderr = '';
  const stdin = options.stdin ? new ClientInput() : undefined;
  for (const chunk of options.stdin ?? []) stdin?.push(Buffer.from(chunk));
  stdin?.end();
  const code = await runProcess(insides.enter(pod, undefined), argv, {
    ...(stdin ? { stdin } : {}),
    stdout: (data) => (stdout += data.toString()),
    stderr: (data) => (stderr += data.toString()),
    tty: options.tty ?? false,
    signal: new AbortController().signal,
  });
  return { stdout, stderr, code };
}

export const sh = (insides: ContainerInsides, pod: KubeObject, script: string) =>
  run(insides, pod, ['sh', '-c', script]);
