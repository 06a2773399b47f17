// The HorizontalPodAutoscaler controller: every sync period (15 s, compressed at fast speed) each HPA reads its
// target's replicas and pods, the pods' usage from the simulated metrics, proposes a size per metric (the largest
// wins), normalizes it by the behavior and min/max, rescales the target and writes status, conditions and events
// as kube-controller-manager does.
import type { ClusterClient, KubeObject, ResourceRef } from '../types.ts';
import type { EventRecorder, EventSpec } from './events.ts';
import { REF, ReconcileQueue, keyOf, type Informer } from './runtime.ts';
import { isPodReady } from './workloads.ts';
import {
  MetricError,
  behaviorOf,
  normalize,
  replicasForResource,
  type PodSample,
  type Recommendation,
  type ScaleEvent,
  type Target,
} from './hpa-scaling.ts';
import { ClusterUsage } from '../metrics/usage.ts';
import { formatQuantity } from '../admission/quantities.ts';
import {
  labelSelectorFromSpec,
  matchesLabelSelector,
  selectorFromMap,
  type LabelSelectorSpec,
} from '../query/label-selector.ts';
import { parseQuantity } from '../scheduler/quantity.ts';
import { specOf } from '../pod/spec.ts';
import { statusOf } from '../pod/status.ts';
import { kubeTime } from '../time.ts';
import { statusCode } from '../../errors.ts';
import type { Clock } from '../../clock.ts';

export const HPA_REF = { group: 'autoscaling', resource: 'horizontalpodautoscalers' } as const;

/** kube-controller-manager's --horizontal-pod-autoscaler-sync-period. */
const SYNC_PERIOD_SECONDS = 15;
const SOURCE = { component: 'horizontal-pod-autoscaler' };

const SCALABLE: Record<string, ResourceRef> = {
  'apps/Deployment': REF.deployments,
  'apps/ReplicaSet': REF.replicasets,
  'apps/StatefulSet': REF.statefulsets,
  '/ReplicationController': REF.replicationcontrollers,
};

interface MetricSpec {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: string } };
  pods?: { metric?: { name?: string } };
  object?: { metric?: { name?: string } };
  external?: { metric?: { name?: string } };
  containerResource?: { name: string; container: string };
}

interface HpaSpec {
  scaleTargetRef: { apiVersion?: string; kind: string; name: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: MetricSpec[];
  behavior?: Parameters<typeof behaviorOf>[0]['behavior'];
}

interface HpaCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** The default metric when an HPA names none, as the apiserver's defaulting writes it. */
const DEFAULT_METRICS: MetricSpec[] = [
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
];

/** How the controller names a metric in events and conditions. */
function metricName(metric: MetricSpec): string {
  if (metric.type === 'Resource' && metric.resource)
    return metric.resource.target.type === 'Utilization'
      ? `${metric.resource.name} resource utilization (percentage of request)`
      : `${metric.resource.name} resource`;
  const named = metric.pods ?? metric.object ?? metric.external;
  return `${metric.type.toLowerCase()} metric ${named?.metric?.name ?? ''}`.trim();
}

interface History {
  recommendations: Recommendation[];
  events: ScaleEvent[];
}

export class HorizontalPodAutoscalerController {
  private readonly queue: ReconcileQueue;
  private readonly history = new Map<string, History>();
  private readonly msPerSecond: number;

  constructor(
    private readonly client: ClusterClient,
    private readonly autoscalers: Informer,
    private readonly pods: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
    timeScale: number,
  ) {
    this.msPerSecond = 1000 * timeScale;
    this.queue = new ReconcileQueue(clock, 'horizontal-pod-autoscaler', (key) => this.sync(key));
    autoscalers.onChange((type, hpa, previous) => {
      const key = keyOf(hpa);
      if (type === 'DELETED') {
        this.history.delete(key);
        return;
      }
      // Its own status writes need no pass: the next one is already timed.
      if (previous && JSON.stringify(previous.spec) === JSON.stringify(hpa.spec)) return;
      this.queue.enqueue(key);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private sync(key: string): void {
    const [namespace = '', name = ''] = key.split('/');
    const hpa = this.autoscalers.get(namespace, name);
    if (!hpa) return;
    // Timed before the work, so a failed pass (retried by the queue) does not stop the period.
    this.queue.enqueueAfter(key, SYNC_PERIOD_SECONDS * this.msPerSecond);
    this.reconcile(hpa, key);
  }

  private reconcile(hpa: KubeObject, key: string): void {
    const spec = hpa.spec as HpaSpec;
    const now = this.clock.now();
    const conditions: HpaCondition[] = [];
    const condition = (type: string, status: boolean, reason: string, message: string) =>
      conditions.push({ type, status: status ? 'True' : 'False', reason, message });
    const warn = (reason: string, message: string) => this.event(hpa, { type: 'Warning', reason, message });

    const group = (spec.scaleTargetRef.apiVersion ?? '').split('/').slice(0, -1).join('/');
    const ref = SCALABLE[`${group}/${spec.scaleTargetRef.kind}`];
    const target = ref && this.client.tryGet(ref, hpa.metadata.namespace, spec.scaleTargetRef.name);
    if (!ref || !target) {
      const message = ref
        ? `${ref.resource}${group ? `.${group}` : ''} "${spec.scaleTargetRef.name}" not found`
        : `no matches for kind "${spec.scaleTargetRef.kind}" in group "${group}"`;
      warn('FailedGetScale', message);
      condition(
        'AbleToScale',
        false,
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: ${message}`,
      );
      this.writeStatus(hpa, { currentReplicas: 0, desiredReplicas: 0 }, conditions, now);
      return;
    }
    const current = (target.spec as { replicas?: number }).replicas ?? 1;
    const min = spec.minReplicas ?? 1;
    const max = spec.maxReplicas;
    const history = this.history.get(key) ?? { recommendations: [], events: [] };
    this.history.set(key, history);

    let desired = current;
    let reason = '';
    let currentMetrics: unknown[] | undefined;
    /** The status of a pass that leaves the target's scale as it was: its metrics or its rescale failed. */
    const writeUnscaled = () =>
      this.writeStatus(
        hpa,
        { currentReplicas: current, desiredReplicas: current, currentMetrics },
        conditions,
        now,
      );
    if (current === 0 && min !== 0) {
      condition(
        'AbleToScale',
        true,
        'SucceededGetScale',
        "the HPA controller was able to get the target's current scale",
      );
      condition(
        'ScalingActive',
        false,
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
      );
      this.writeStatus(hpa, { currentReplicas: 0, desiredReplicas: 0 }, conditions, now);
      return;
    } else if (current > max) {
      desired = max;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < min) {
      desired = min;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      const computed = this.fromMetrics(hpa, spec, target, current, warn);
      currentMetrics = computed.currentMetrics;
      if (computed.error !== undefined) {
        condition(
          'AbleToScale',
          true,
          'SucceededGetScale',
          "the HPA controller was able to get the target's current scale",
        );
        condition('ScalingActive', false, computed.error.reason, computed.error.message);
        writeUnscaled();
        return;
      }
      const normalized = normalize(
        computed.replicas,
        current,
        { min, max },
        behaviorOf(spec),
        history,
        now,
        this.msPerSecond,
      );
      history.recommendations.push({ at: now, replicas: computed.replicas });
      const longest = Math.max(
        ...[behaviorOf(spec).scaleUp, behaviorOf(spec).scaleDown].flatMap((rules) => [
          rules.stabilizationWindowSeconds,
          ...rules.policies.map((p) => p.periodSeconds),
        ]),
      );
      const cutoff = now - longest * this.msPerSecond;
      history.recommendations = history.recommendations.filter((r) => r.at > cutoff);
      history.events = history.events.filter((e) => e.at > cutoff);
      desired = normalized.replicas;
      reason =
        computed.replicas > current ? `${computed.metricName} above target` : 'All metrics below target';
      condition('AbleToScale', true, normalized.stabilized.reason, normalized.stabilized.message);
      condition(
        'ScalingActive',
        true,
        'ValidMetricFound',
        `the HPA was able to successfully calculate a replica count from ${computed.metricName}`,
      );
      condition(
        'ScalingLimited',
        normalized.limited.status,
        normalized.limited.reason,
        normalized.limited.message,
      );
    }

    let lastScaleTime: string | undefined;
    if (desired !== current) {
      try {
        this.client.patch(ref, hpa.metadata.namespace, spec.scaleTargetRef.name, 'merge', {
          spec: { replicas: desired },
        });
      } catch (error) {
        if (statusCode(error) === 404) return;
        const message = error instanceof Error ? error.message : String(error);
        warn('FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${message}`);
        setCondition(
          conditions,
          'AbleToScale',
          false,
          'FailedUpdateScale',
          `the HPA controller was unable to update the target scale: ${message}`,
        );
        writeUnscaled();
        return;
      }
      history.events.push({ at: now, change: desired - current });
      lastScaleTime = kubeTime(now);
      this.event(hpa, {
        type: 'Normal',
        reason: 'SuccessfulRescale',
        message: `New size: ${desired}; reason: ${reason}`,
      });
      setCondition(
        conditions,
        'AbleToScale',
        true,
        'SucceededRescale',
        `the HPA controller was able to update the target scale to ${desired}`,
      );
    }
    this.writeStatus(
      hpa,
      {
        currentReplicas: current,
        desiredReplicas: desired,
        currentMetrics,
        ...(lastScaleTime ? { lastScaleTime } : {}),
      },
      conditions,
      now,
    );
  }

  /** Each metric's proposal, the largest winning; an error when none could be computed. */
  private fromMetrics(
    hpa: KubeObject,
    spec: HpaSpec,
    target: KubeObject,
    current: number,
    warn: (reason: string, message: string) => void,
  ):
    | { replicas: number; metricName: string; currentMetrics: unknown[]; error?: undefined }
    | { error: { reason: string; message: string }; currentMetrics: unknown[] } {
    const pods = this.targetPods(hpa, target);
    const usage = new Map(new ClusterUsage(this.client).pods().map((p) => [p.pod.metadata.uid, p]));
    const metrics = spec.metrics?.length ? spec.metrics : DEFAULT_METRICS;
    let best: { replicas: number; metricName: string } | undefined;
    const currentMetrics: unknown[] = [];
    const errors: { reason: string; message: string }[] = [];
    for (const metric of metrics) {
      if (metric.type !== 'Resource' || !metric.resource) {
        // Custom and external metrics need an adapter (custom.metrics.k8s.io), which the sandbox does not run.
        const kind =
          metric.type === 'Pods'
            ? 'Pods'
            : metric.type === 'Object'
              ? 'Object'
              : metric.type === 'External'
                ? 'External'
                : 'Resource';
        const message = `unable to get metric ${metricName(metric)}: no custom metrics API (custom.metrics.k8s.io) registered`;
        errors.push({ reason: `FailedGet${kind}Metric`, message });
        continue;
      }
      const resource = metric.resource.name;
      const goal: Target =
        metric.resource.target.type === 'Utilization'
          ? { type: 'Utilization', averageUtilization: metric.resource.target.averageUtilization ?? 80 }
          : { type: 'AverageValue', averageValue: parseQuantity(metric.resource.target.averageValue ?? '0') };
      const samples: PodSample[] = pods.map((pod) => {
        const measured = usage.get(pod.metadata.uid);
        const containers = specOf(pod).containers ?? [];
        const lacking = containers.find((c) => c.resources?.requests?.[resource] === undefined);
        return {
          name: pod.metadata.name ?? '',
          // Only CPU is distorted by a pod's start-up: for memory every running pod counts.
          ready: statusOf(pod).phase !== 'Pending' && (resource !== 'cpu' || isPodReady(pod)),
          usage: measured?.containers.reduce((sum, c) => sum + (resource === 'cpu' ? c.cpu : c.memory), 0),
          request: lacking
            ? undefined
            : containers.reduce((sum, c) => sum + parseQuantity(c.resources?.requests?.[resource]), 0),
          ...(lacking ? { missingRequestIn: lacking.name } : {}),
        };
      });
      try {
        const proposal = replicasForResource(resource, current, samples, goal);
        const name = metricName(metric);
        if (!best || proposal.replicas > best.replicas)
          best = { replicas: proposal.replicas, metricName: name };
        currentMetrics.push({
          type: 'Resource',
          resource: {
            name: resource,
            current: {
              ...(proposal.utilization !== undefined ? { averageUtilization: proposal.utilization } : {}),
              averageValue: formatQuantity(
                resource,
                resource === 'cpu'
                  ? Math.ceil(proposal.averageValue * 1000) / 1000
                  : Math.round(proposal.averageValue),
              ),
            },
          },
        });
      } catch (error) {
        if (!(error instanceof MetricError)) throw error;
        const what = goal.type === 'Utilization' ? `${resource} utilization` : `${resource} usage`;
        errors.push({
          reason: 'FailedGetResourceMetric',
          message: `failed to get ${what}: ${error.message}`,
        });
      }
    }
    for (const error of errors) warn(error.reason, error.message);
    if (!best) {
      const first = errors[0] ?? { reason: 'FailedGetResourceMetric', message: 'no metrics' };
      warn(
        'FailedComputeMetricsReplicas',
        `invalid metrics (${errors.length} invalid out of ${metrics.length}), first error is: ${first.message}`,
      );
      return {
        error: {
          reason: first.reason,
          message: `the HPA was unable to compute the replica count: ${first.message}`,
        },
        currentMetrics,
      };
    }
    return { ...best, currentMetrics };
  }

  /** The target's pods: its selector's matches in the namespace, minus those being deleted or failed. */
  private targetPods(hpa: KubeObject, target: KubeObject): KubeObject[] {
    const raw = (target.spec as { selector?: LabelSelectorSpec | Record<string, string> }).selector;
    const selector =
      target.kind === 'ReplicationController'
        ? selectorFromMap(raw as Record<string, string>)
        : labelSelectorFromSpec(raw as LabelSelectorSpec);
    return this.pods
      .byIndex('namespace', hpa.metadata.namespace ?? '')
      .filter(
        (pod) =>
          matchesLabelSelector(selector, pod.metadata.labels) &&
          !pod.metadata.deletionTimestamp &&
          statusOf(pod).phase !== 'Failed' &&
          statusOf(pod).phase !== 'Succeeded',
      );
  }

  private event(hpa: KubeObject, event: EventSpec): void {
    this.recorder.record(hpa, SOURCE, event);
  }

  /** Writes status, keeping each condition's lastTransitionTime while its status stays. */
  private writeStatus(
    hpa: KubeObject,
    fields: {
      currentReplicas: number;
      desiredReplicas: number;
      currentMetrics?: unknown[] | undefined;
      lastScaleTime?: string;
    },
    conditions: HpaCondition[],
    now: number,
  ): void {
    const previous = (hpa.status ?? {}) as { conditions?: HpaCondition[]; lastScaleTime?: string };
    const stamped = conditions.map((c) => {
      const before = previous.conditions?.find((p) => p.type === c.type);
      return {
        ...c,
        lastTransitionTime:
          before && before.status === c.status && before.lastTransitionTime
            ? before.lastTransitionTime
            : kubeTime(now),
      };
    });
    const status = {
      ...(hpa.metadata.generation !== undefined ? { observedGeneration: hpa.metadata.generation } : {}),
      ...((fields.lastScaleTime ?? previous.lastScaleTime)
        ? { lastScaleTime: fields.lastScaleTime ?? previous.lastScaleTime }
        : {}),
      currentReplicas: fields.currentReplicas,
      desiredReplicas: fields.desiredReplicas,
      ...(fields.currentMetrics?.length ? { currentMetrics: fields.currentMetrics } : {}),
      conditions: stamped,
    };
    if (JSON.stringify(status) === JSON.stringify(hpa.status)) return;
    try {
      this.client.update(HPA_REF, hpa.metadata.namespace, { ...hpa, status }, { subresource: 'status' });
    } catch (error) {
      // A newer version is on its way (a spec change): its pass writes the status.
      if (statusCode(error) !== 409 && statusCode(error) !== 404) throw error;
    }
  }
}

/** Replaces a condition already set in this pass. */
function setCondition(
  conditions: HpaCondition[],
  type: string,
  status: boolean,
  reason: string,
  message: string,
): void {
  const index = conditions.findIndex((c) => c.type === type);
  const next: HpaCondition = { type, status: status ? 'True' : 'False', reason, message };
  if (index >= 0) conditions[index] = next;
  else conditions.push(next);
}
