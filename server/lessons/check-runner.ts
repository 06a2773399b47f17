import { ApiException, Exec, KubernetesObjectApi, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import {
  checkForPlayer,
  evaluateCheck,
  execTarget,
  readPath,
  type Check,
  type CheckResult,
  type ExecResult,
  type Observed,
} from './checks.ts';
import { textCollector } from '../text-collector.ts';
import { kindInfo } from './kinds.ts';
import { viewerStrings } from './strings.ts';

function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

/** A command that has not answered by then is stuck (a simulated shell answers in milliseconds): the check fails. */
const execTimeoutMs = 15_000;

/** The exit code a pods/exec status carries: 0 on Success, the ExitCode cause on NonZeroExitCode. */
function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message !== undefined) return Number(cause.message);
  throw new Error(status.message ?? 'the command could not run in the container');
}

/** Runs the check's command in the pod through pods/exec, as `kubectl exec` does. */
async function runInPod(kubeConfig: KubeConfig, pod: unknown, exec: NonNullable<Check['exec']>): Promise<ExecResult> {
  const namespace = String(readPath(pod, 'metadata.namespace'));
  const name = String(readPath(pod, 'metadata.name'));
  const container = exec.container ?? String(readPath(pod, 'spec.containers[0].name'));
  const stdout = textCollector();
  const stderr = textCollector();
  return new Promise<ExecResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.then((s) => s.close()).catch(() => {});
      reject(new Error(`${exec.command.join(' ')} did not finish in ${execTimeoutMs / 1000} s`));
    }, execTimeoutMs);
    const socket = new Exec(kubeConfig).exec(namespace, name, container, exec.command, stdout.stream, stderr.stream, null, false, (status) => {
      clearTimeout(timer);
      try {
        resolve({ stdout: stdout.text().trim(), stderr: stderr.text().trim(), exitCode: exitCodeOf(status) });
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.catch((error: unknown) => {
      clearTimeout(timer);
      reject(error as Error);
    });
  });
}

async function observeExec(kubeConfig: KubeConfig, api: KubernetesObjectApi, check: Check, namespace: string): Promise<Observed> {
  const found = await observeObjects(api, check, namespace);
  const pod = found.by === 'name' ? found.object : execTarget(found.items);
  if (pod === undefined || !check.exec) return { by: 'exec', pod };
  if (readPath(pod, 'status.phase') !== 'Running') return { by: 'exec', pod };
  return { by: 'exec', pod, result: await runInPod(kubeConfig, pod, check.exec) };
}

async function observeObjects(
  api: KubernetesObjectApi,
  check: Check,
  namespace: string,
): Promise<Exclude<Observed, { by: "exec" }>> {
  const info = kindInfo(check.kind);
  if (!info) throw new Error(`checks.yaml: unknown kind "${check.kind}" in check ${check.id}`);
  const ns = info.namespaced ? (check.namespace ?? namespace) : undefined;
  if (check.name) {
    try {
      const object = await api.read({
        apiVersion: info.apiVersion,
        kind: check.kind,
        metadata: { name: check.name, ...(ns ? { namespace: ns } : {}) },
      });
      return { by: 'name', object };
    } catch (error) {
      if (isNotFound(error)) return { by: 'name', object: undefined };
      throw error;
    }
  }
  const list = await api.list(
    info.apiVersion,
    check.kind,
    ns,
    undefined,
    undefined,
    undefined,
    check.fieldSelector,
    check.labelSelector,
  );
  return { by: 'selector', items: list.items };
}

/** A check that could not be evaluated: says, in `lang`, whether the cluster refused us or did not answer, and what to do. */
function notEvaluated(check: Check, namespace: string, error: unknown, lang: string): CheckResult {
  const words = viewerStrings(lang).checks;
  if (error instanceof ApiException && (error.code === 401 || error.code === 403)) {
    const info = kindInfo(check.kind);
    return {
      id: check.id,
      passed: false,
      message: words.forbidden(check.kind, info?.namespaced ? (check.namespace ?? namespace) : undefined),
      detail: words.forbiddenDetail(error.code, check.kind),
    };
  }
  const reason = error instanceof ApiException ? words.clusterAnswered(error.code) : words.connectionFailed((error as Error).message);
  return { id: check.id, passed: false, message: words.unreachable, detail: reason };
}

/**
 * Runs a step's checks against a cluster (any cluster: the sandbox or a real one) in the given namespace, for the
 * attendee `player` (their pilot name fills `{player}` in the checks; the sample pilot's when undefined).
 */
export async function runChecks(
  kubeConfig: KubeConfig,
  checks: Check[],
  namespace: string,
  lang: string,
  player?: string,
): Promise<CheckResult[]> {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  return Promise.all(
    checks.map(async (template) => {
      const personal = checkForPlayer(template, player, lang);
      if ('problem' in personal) {
        return { id: template.id, passed: false, message: personal.problem, detail: viewerStrings(lang).checks.notChecked };
      }
      const check = personal.check;
      try {
        const observed = check.exec
          ? await observeExec(kubeConfig, api, check, namespace)
          : await observeObjects(api, check, namespace);
        return evaluateCheck(check, observed, lang);
      } catch (error) {
        return notEvaluated(check, namespace, error, lang);
      }
    }),
  );
}
