import { ApiException, KubernetesObjectApi, type KubeConfig } from '@kubernetes/client-node';
import { checkForPlayer, evaluateCheck, type Check, type CheckResult, type Observed } from './checks.ts';
import { kindInfo } from './kinds.ts';
import { viewerStrings } from './strings.ts';

function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

async function observe(api: KubernetesObjectApi, check: Check, namespace: string): Promise<Observed> {
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
        return evaluateCheck(check, await observe(api, check, namespace), lang);
      } catch (error) {
        return notEvaluated(check, namespace, error, lang);
      }
    }),
  );
}
