// Defaults a real apiserver fills in, limited to what kubectl shows (get -o yaml, describe).
import { defaultLimitRangeSpec } from '../admission/limit-ranges.ts';
import type { KubeObject } from '../types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ensure = (parent: Obj, key: string): Obj => {
  if (!isObj(parent[key])) parent[key] = {};
  return parent[key] as Obj;
};
const setDefault = (target: Obj, key: string, value: unknown) => {
  if (target[key] === undefined) target[key] = value;
};

function pullPolicyFor(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const afterSlash = image.slice(image.lastIndexOf('/') + 1).split('@')[0] ?? '';
  const tag = afterSlash.includes(':') ? afterSlash.slice(afterSlash.indexOf(':') + 1) : '';
  return image.includes('@') ? 'IfNotPresent' : !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Obj): void {
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isObj(probe.httpGet)) {
    setDefault(probe.httpGet, 'path', '/');
    setDefault(probe.httpGet, 'scheme', 'HTTP');
  }
}

function defaultContainer(container: Obj): void {
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = container[key];
    if (isObj(probe)) defaultProbe(probe);
  }
  setDefault(container, 'imagePullPolicy', pullPolicyFor(container.image));
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'resources', {});
  for (const port of Array.isArray(container.ports) ? container.ports : []) {
    if (isObj(port)) setDefault(port, 'protocol', 'TCP');
  }
}

export function defaultPodSpec(spec: Obj): void {
  for (const list of ['containers', 'initContainers']) {
    for (const c of Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [])
      if (isObj(c)) defaultContainer(c);
  }
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  if (spec.serviceAccountName === undefined) spec.serviceAccountName = spec.serviceAccount ?? 'default';
  setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  setDefault(spec, 'priority', 0);
}

function defaultTemplate(spec: Obj): void {
  const template = ensure(spec, 'template');
  ensure(template, 'metadata');
  defaultPodSpec(ensure(template, 'spec'));
}

const templateLabels = (spec: Obj) => (ensure(ensure(spec, 'template'), 'metadata').labels ?? {}) as Obj;

function defaultJob(job: KubeObject, spec: Obj): void {
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'completions', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  const uid = job.metadata.uid ?? '';
  const meta = ensure(ensure(spec, 'template'), 'metadata');
  if (spec.manualSelector !== true && uid && !isObj(spec.selector)) {
    const ownLabels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': job.metadata.name ?? '',
      'controller-uid': uid,
      'job-name': job.metadata.name ?? '',
    };
    meta.labels = { ...((meta.labels as Obj) ?? {}), ...ownLabels };
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  }
  setDefault(ensure(spec, 'template'), 'spec', {});
  defaultTemplate(spec);
  setDefault(ensure(ensure(spec, 'template'), 'spec'), 'restartPolicy', 'Never');
}

const byKind: Record<string, (object: KubeObject, spec: Obj) => void> = {
  Pod: (_o, spec) => defaultPodSpec(spec),
  LimitRange: (_o, spec) => defaultLimitRangeSpec(spec),
  ReplicaSet: (_o, spec) => {
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  ReplicationController: (_o, spec) => {
    setDefault(spec, 'replicas', 1);
    if (spec.template !== undefined) defaultTemplate(spec);
    if (!isObj(spec.selector) && spec.template !== undefined) spec.selector = { ...templateLabels(spec) };
  },
  Deployment: (_o, spec) => {
    setDefault(spec, 'replicas', 1);
    // Field by field, as the apiserver does: kubectl 1.20 sends `strategy: {}`.
    const strategy = ensure(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = ensure(strategy, 'rollingUpdate');
      setDefault(rollingUpdate, 'maxUnavailable', '25%');
      setDefault(rollingUpdate, 'maxSurge', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec);
  },
  StatefulSet: (_o, spec) => {
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    setDefault(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  },
  DaemonSet: (_o, spec) => {
    setDefault(spec, 'updateStrategy', {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    setDefault(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  },
  Job: defaultJob,
  CronJob: (_o, spec) => {
    setDefault(spec, 'concurrencyPolicy', 'Allow');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'successfulJobsHistoryLimit', 3);
    setDefault(spec, 'failedJobsHistoryLimit', 1);
    defaultTemplate(ensure(ensure(spec, 'jobTemplate'), 'spec'));
  },
  Service: (_o, spec) => {
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
      if (!isObj(port)) continue;
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port.port);
    }
  },
};

/** Fills defaults in place on a fresh copy (creates and updates alike). */
export function applyDefaults(object: KubeObject): void {
  if (object.kind === 'Namespace') {
    const spec = ensure(object, 'spec');
    setDefault(spec, 'finalizers', ['kubernetes']);
    setDefault(ensure(object, 'status'), 'phase', 'Active');
    object.metadata.labels = {
      ...object.metadata.labels,
      'kubernetes.io/metadata.name': object.metadata.name ?? '',
    };
    return;
  }
  if (object.kind === 'Secret') setDefault(object, 'type', 'Opaque');
  const apply = byKind[object.kind];
  if (apply) apply(object, ensure(object, 'spec'));
}

const NODE_FAILURE_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/**
 * The DefaultTolerationSeconds admission plugin, at pod creation only: a pod that does not already tolerate a
 * failed node's NoExecute taints tolerates them for 300 s (the sandbox's node lifecycle reads 300 as its own,
 * shorter default).
 */
export function admitDefaultTolerations(pod: KubeObject): void {
  const spec = ensure(pod, 'spec');
  const tolerations = (Array.isArray(spec.tolerations) ? spec.tolerations : []).filter(isObj);
  const missing = NODE_FAILURE_TAINTS.filter(
    (key) => !tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect)),
  );
  if (missing.length === 0) return;
  spec.tolerations = [
    ...tolerations,
    ...missing.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 })),
  ];
}

export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/**
 * The DefaultIngressClass admission plugin, at Ingress creation only: an Ingress that names no class (neither
 * spec.ingressClassName nor the older kubernetes.io/ingress.class annotation) gets the default IngressClass, the
 * newest one if several are marked default.
 */
export function admitDefaultIngressClass(ingress: KubeObject, classes: readonly KubeObject[]): void {
  const spec = ensure(ingress, 'spec');
  if (spec.ingressClassName !== undefined) return;
  if (ingress.metadata.annotations?.['kubernetes.io/ingress.class'] !== undefined) return;
  const defaults = classes
    .filter((each) => each.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true')
    .sort((a, b) =>
      String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')),
    );
  if (defaults[0]) spec.ingressClassName = defaults[0].metadata.name;
}
