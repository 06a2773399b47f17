// `kubewars course rehearse`: the whole course, in order, against the instructor's cluster, the day before the
// workshop. Every lesson's runnable blocks run as a learner would type them, then its step's checks; the instructor
// reads one line per lesson, and the cluster is left as it was found.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApisApi,
  CoreV1Api,
  type KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  StorageV1Api,
} from '@kubernetes/client-node';
import { fallbackLanguage, loadCourse, loadStep, type LessonSource } from '../lessons/loader.ts';
import { renderLesson } from '../lessons/render.ts';
import { checksUntilPass, namespacedKubeconfig, runBlock } from './block-runner.ts';
import {
  type ClusterFacts,
  type ClusterObject,
  describeGap,
  isKubeWarsSandbox,
  preflight,
} from './preflight.ts';

export interface RehearsalOptions {
  /** The instructor's cluster, its context chosen. */
  kubeConfig: KubeConfig;
  /** Where `lessons/` and `steps/` are: the blocks run there, as `kubectl apply -f steps/…` expects. */
  projectRoot: string;
  lang?: string;
  /** First and last lesson numbers to run (inclusive). */
  from?: number;
  to?: number;
  /** The blocks' environment (PATH with kubectl); KUBECONFIG is set to the rehearsal's own. */
  env: NodeJS.ProcessEnv;
  /** A folder of the rehearsal's own, for its kubeconfig. */
  workDir: string;
  /** The namespace it creates and works in (default kubewars-rehearsal). */
  namespace?: string;
  write: (line: string) => void;
  blockTimeoutMs?: number;
  checkDeadlineMs?: number;
}

export interface RehearsalSummary {
  lessons: number;
  passed: number;
  failed: number;
  skipped: number;
}

type Outcome = { status: 'passed' } | { status: 'failed'; why: string } | { status: 'skipped'; why: string };

// bash's ERR trap names the command that failed, so the instructor reads it rather than the whole block.
const failureMarker = '__kubewars_rehearsal_failed__';
const withFailureTrap = (code: string) => `trap 'echo "${failureMarker} $BASH_COMMAND" >&2' ERR\n${code}`;

/** `kubewars node stop|start` only exists on the sandbox. */
const needsSandbox = (code: string) => /\bkubewars node (stop|start)\b/.test(code);

const OUTPUT_LINES = 12;

function failedBlock(
  index: number,
  code: string,
  output: string,
  exitCode: number,
  timedOut: boolean,
): string {
  const lines = output.split('\n');
  const marked = lines.filter((l) => l.startsWith(failureMarker)).at(-1);
  const command = marked?.slice(failureMarker.length).trim() ?? code.split('\n')[0] ?? '';
  const shown = lines.filter((l) => !l.startsWith(failureMarker) && l.trim() !== '').slice(-OUTPUT_LINES);
  const how = timedOut ? 'did not finish in time' : `exited ${exitCode}`;
  return [`block ${index + 1} ${how} at \`${command}\``, ...shown.map((l) => `    ${l}`)].join('\n');
}

async function readFacts(kc: KubeConfig): Promise<ClusterFacts> {
  const [storageClasses, ingressClasses, nodes, groups] = await Promise.all([
    kc.makeApiClient(StorageV1Api).listStorageClass(),
    kc.makeApiClient(NetworkingV1Api).listIngressClass(),
    kc.makeApiClient(CoreV1Api).listNode(),
    kc.makeApiClient(ApisApi).getAPIVersions(),
  ]);
  return {
    storageClasses: storageClasses.items,
    ingressClasses: ingressClasses.items,
    nodes: nodes.items,
    apiGroups: groups.groups.map((g) => g.name),
  };
}

/** What a node looked like before: the rehearsal puts labels, taints and schedulability back as they were. */
interface NodeState {
  name: string;
  labels: Record<string, string>;
  taints: unknown[] | undefined;
  unschedulable: boolean | undefined;
}

function nodeState(node: ClusterObject): NodeState {
  const spec = (node.spec ?? {}) as { taints?: unknown[]; unschedulable?: boolean };
  return {
    name: node.metadata?.name ?? '',
    labels: { ...(node.metadata?.labels ?? {}) },
    taints: spec.taints,
    unschedulable: spec.unschedulable,
  };
}

async function restoreNodes(kc: KubeConfig, before: NodeState[]): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const restored: string[] = [];
  for (const node of (await core.listNode()).items) {
    const was = before.find((b) => b.name === node.metadata?.name);
    if (!was) continue;
    const now = nodeState(node);
    const labels: Record<string, string | null> = {};
    for (const key of Object.keys(now.labels)) if (!(key in was.labels)) labels[key] = null;
    for (const [key, value] of Object.entries(was.labels)) if (now.labels[key] !== value) labels[key] = value;
    const taintsChanged = JSON.stringify(now.taints ?? []) !== JSON.stringify(was.taints ?? []);
    const cordonChanged = Boolean(now.unschedulable) !== Boolean(was.unschedulable);
    if (Object.keys(labels).length === 0 && !taintsChanged && !cordonChanged) continue;
    await objects.patch(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: was.name, labels },
        spec: { taints: was.taints ?? null, unschedulable: was.unschedulable ?? null },
      } as never,
      undefined,
      undefined,
      'kubewars-rehearsal',
      undefined,
      PatchStrategy.MergePatch,
    );
    restored.push(was.name);
  }
  return restored;
}

/** Namespaces the lessons made (absent before, and named in what the rehearsal ran): the only others it deletes. */
async function createdNamespaces(kc: KubeConfig, before: Set<string>, ranText: string): Promise<string[]> {
  const now = await kc.makeApiClient(CoreV1Api).listNamespace();
  return now.items
    .map((ns) => ns.metadata?.name ?? '')
    .filter((name) => name !== '' && !before.has(name))
    .filter((name) => new RegExp(`(^|[^\\w-])${name.replace(/[.]/g, '\\.')}($|[^\\w-])`).test(ranText));
}

async function rehearseLesson(
  lesson: LessonSource,
  context: {
    options: RehearsalOptions;
    kc: KubeConfig;
    env: NodeJS.ProcessEnv;
    namespace: string;
    lang: string;
    onSandbox: boolean;
    ran: string[];
  },
): Promise<Outcome> {
  const { options, kc, env, namespace, lang, onSandbox, ran } = context;
  const blocks = renderLesson(lesson.body).blocks;
  for (const [index, block] of blocks.entries()) {
    if (block.mode !== 'run' || (needsSandbox(block.code) && !onSandbox)) continue;
    ran.push(block.code);
    const result = await runBlock(withFailureTrap(block.code), {
      cwd: options.projectRoot,
      env,
      timeoutMs: options.blockTimeoutMs ?? 300_000,
    });
    if (result.exitCode !== 0) {
      return {
        status: 'failed',
        why: failedBlock(index, block.code, result.output, result.exitCode, result.timedOut),
      };
    }
  }
  const step = loadStep(options.projectRoot, lesson.meta.step, lang);
  const results = await checksUntilPass(kc, step.checks, namespace, lang, options.checkDeadlineMs ?? 90_000);
  const failing = results.filter((r) => !r.passed);
  if (failing.length > 0) {
    return {
      status: 'failed',
      why: failing.map((r) => `check ${r.id}: ${r.message} (${r.detail})`).join('\n    '),
    };
  }
  return { status: 'passed' };
}

/** Runs the course against the cluster; writes the preflight, one line per lesson, the cleanup and a JSON summary. */
export async function rehearseCourse(options: RehearsalOptions): Promise<RehearsalSummary> {
  const lang = options.lang ?? fallbackLanguage;
  const namespace = options.namespace ?? 'kubewars-rehearsal';
  const course = loadCourse(options.projectRoot, lang).filter(
    (l) => Number(l.number) >= (options.from ?? 0) && Number(l.number) <= (options.to ?? Infinity),
  );

  const facts = await readFacts(options.kubeConfig);
  const gaps = preflight(facts);
  for (const gap of gaps) options.write(describeGap(gap));
  const skippedBy = new Map(
    gaps.filter((g) => g.effect === 'skip').flatMap((g) => g.lessons.map((n) => [n, g.missing] as const)),
  );

  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const nodesBefore = facts.nodes.map(nodeState);
  const namespacesBefore = new Set((await core.listNamespace()).items.map((ns) => ns.metadata?.name ?? ''));
  if (namespacesBefore.has(namespace)) {
    throw new Error(
      `Namespace ${namespace} already exists: the rehearsal works only in a namespace of its own. ` +
        `Delete it (\`kubectl delete namespace ${namespace}\`) if a previous rehearsal left it, or choose another.`,
    );
  }
  mkdirSync(options.workDir, { recursive: true });
  const kubeconfigPath = join(options.workDir, 'rehearsal.kubeconfig');
  const kc = namespacedKubeconfig(options.kubeConfig, namespace, kubeconfigPath);
  const env = { ...options.env, KUBECONFIG: kubeconfigPath, npm_config_update_notifier: 'false' };
  await core.createNamespace({
    body: { metadata: { name: namespace, labels: { 'kubewars.io/rehearsal': 'true' } } },
  });

  const summary: RehearsalSummary = { lessons: course.length, passed: 0, failed: 0, skipped: 0 };
  const ran: string[] = [];
  const onSandbox = isKubeWarsSandbox(facts);
  try {
    for (const lesson of course) {
      const started = Date.now();
      const skip = skippedBy.get(Number(lesson.number));
      const outcome: Outcome = skip
        ? { status: 'skipped', why: skip }
        : await rehearseLesson(lesson, { options, kc, env, namespace, lang, onSandbox, ran });
      summary[outcome.status]++;
      const seconds = Math.round((Date.now() - started) / 1000);
      const title = `lesson ${lesson.number} ${lesson.slug.replace(/^\d+-/, '')}`;
      options.write(
        outcome.status === 'passed'
          ? `${title}: passed (${seconds} s)`
          : `${title}: ${outcome.status}: ${outcome.why}`,
      );
    }
  } finally {
    const extra = await createdNamespaces(options.kubeConfig, namespacesBefore, ran.join('\n')).catch(
      () => [],
    );
    for (const name of [namespace, ...extra.filter((n) => n !== namespace)]) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
    const restored = await restoreNodes(options.kubeConfig, nodesBefore).catch((error: Error) => {
      options.write(`cleanup: could not restore the nodes: ${error.message}`);
      return [];
    });
    options.write(
      `cleanup: deleted namespace ${[namespace, ...extra].join(', ')}` +
        (restored.length > 0
          ? `; nodes ${restored.join(', ')} back as they were (labels, taints, cordon)`
          : ''),
    );
  }
  options.write(JSON.stringify(summary));
  return summary;
}
