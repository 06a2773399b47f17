// The HorizontalPodAutoscaler's arithmetic, as kube-controller-manager does it: replicas from a resource metric
// (tolerance, pods without metrics, pods not ready), then the behavior's stabilization windows and rate policies,
// then minReplicas/maxReplicas. Pure: the controller brings the samples and the remembered history.

/** What one pod of the target contributes to a resource metric. */
export interface PodSample {
  name: string;
  /** Pending pods, and for CPU pods not Ready yet: left out, or counted idle when the others ask for more. */
  ready: boolean;
  /** The pod's usage of the resource (cores or bytes); undefined when the metrics API has none for it. */
  usage: number | undefined;
  /** Sum of its containers' requests for the resource; undefined when a container has none. */
  request: number | undefined;
  /** The first container without a request, for the error message. */
  missingRequestIn?: string;
}

export const DEFAULT_TOLERANCE = 0.1;

export interface MetricProposal {
  replicas: number;
  /** Average utilization of the ready pods with metrics, % of request (Utilization targets). */
  utilization?: number;
  /** Average usage per pod (cores or bytes). */
  averageValue: number;
}

/** Why no replica count can come from the metric: worded as the controller's FailedGetResourceMetric. */
export class MetricError extends Error {}

export type Target =
  { type: 'Utilization'; averageUtilization: number } | { type: 'AverageValue'; averageValue: number };

/**
 * Replicas for one resource metric. Pods with no metrics count as using 100 % of their request when the others
 * suggest scaling down and 0 % when scaling up; pods not ready count as 0 % when scaling up; a correction that
 * would reverse the direction, or lands within the tolerance, keeps the current count.
 */
export function replicasForResource(
  resource: string,
  currentReplicas: number,
  samples: PodSample[],
  target: Target,
  tolerance = DEFAULT_TOLERANCE,
): MetricProposal {
  if (!samples.length) throw new MetricError('no pods returned by selector while calculating replica count');
  const measured = samples.filter((s) => s.usage !== undefined);
  if (!measured.length)
    throw new MetricError(
      `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`,
    );
  if (target.type === 'Utilization') {
    const lacking = samples.find((s) => s.request === undefined || s.request === 0);
    if (lacking)
      throw new MetricError(
        `missing request for ${resource} in container ${lacking.missingRequestIn ?? '?'} of Pod ${lacking.name}`,
      );
  }
  // Unready pods (Pending, or warming up for CPU) are set aside; ready ones without metrics are missing.
  const counted = measured.filter((s) => s.ready);
  const unready = samples.filter((s) => !s.ready);
  const missing = samples.filter((s) => s.ready && s.usage === undefined);
  if (!counted.length)
    throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');

  const usageOf = (pods: PodSample[]) => pods.reduce((sum, p) => sum + (p.usage ?? 0), 0);
  const requestOf = (pods: PodSample[]) => pods.reduce((sum, p) => sum + (p.request ?? 0), 0);
  const ratioOf = (usage: number, requests: number, pods: number) =>
    target.type === 'Utilization'
      ? (usage * 100) / requests / target.averageUtilization
      : usage / pods / target.averageValue;
  const usage = usageOf(counted);
  const ratio = ratioOf(usage, requestOf(counted), counted.length);
  const utilization =
    // Whole percent, rounded down as the controller's integer arithmetic does (the epsilon absorbs float noise).
    target.type === 'Utilization' ? Math.trunc((usage * 100) / requestOf(counted) + 1e-9) : undefined;
  const proposal = (replicas: number): MetricProposal => ({
    replicas,
    ...(utilization !== undefined ? { utilization } : {}),
    averageValue: usage / counted.length,
  });

  const rebalanceUnready = unready.length > 0 && ratio > 1;
  if (!rebalanceUnready && !missing.length) {
    if (Math.abs(1 - ratio) <= tolerance) return proposal(currentReplicas);
    return proposal(Math.ceil(ratio * counted.length));
  }
  // Assume the worst for the direction the measured pods point to, then see whether that still holds.
  let assumedUsage = usage;
  let requests = requestOf(counted);
  let pods = counted.length;
  for (const pod of missing) {
    if (ratio < 1) assumedUsage += target.type === 'Utilization' ? (pod.request ?? 0) : target.averageValue;
    requests += pod.request ?? 0;
    pods++;
  }
  // Scaling up, unready pods count as idle; otherwise they stay out of the count.
  if (rebalanceUnready) {
    requests += requestOf(unready);
    pods += unready.length;
  }
  const corrected = ratioOf(assumedUsage, requests, pods);
  if (Math.abs(1 - corrected) <= tolerance || (ratio < 1 && corrected > 1) || (ratio > 1 && corrected < 1))
    return proposal(currentReplicas);
  const replicas = Math.ceil(corrected * pods);
  if ((corrected < 1 && replicas > currentReplicas) || (corrected > 1 && replicas < currentReplicas))
    return proposal(currentReplicas);
  return proposal(replicas);
}

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: ScalingPolicy[];
}

export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

/** The apiserver's defaults for spec.behavior, each direction completed on its own. */
export function behaviorOf(spec: {
  behavior?: { scaleUp?: Partial<ScalingRules>; scaleDown?: Partial<ScalingRules> };
}) {
  const up = spec.behavior?.scaleUp ?? {};
  const down = spec.behavior?.scaleDown ?? {};
  return {
    scaleUp: {
      stabilizationWindowSeconds: up.stabilizationWindowSeconds ?? 0,
      selectPolicy: up.selectPolicy ?? 'Max',
      policies: up.policies ?? [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: down.stabilizationWindowSeconds ?? 300,
      selectPolicy: down.selectPolicy ?? 'Max',
      policies: down.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    },
  } satisfies Behavior;
}

/** A past recommendation or rescale, at simulated time `at` (ms). */
export interface Recommendation {
  at: number;
  replicas: number;
}
export interface ScaleEvent {
  at: number;
  /** Pods added (positive) or removed (negative). */
  change: number;
}

export interface Condition {
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  /** AbleToScale's reason when a window held the recommendation back (otherwise ReadyForNewScale). */
  stabilized: Condition;
  /** ScalingLimited: true unless the reason is DesiredWithinRange. */
  limited: Condition & { status: boolean };
}

/**
 * From the metrics' proposal to the replicas to set: the safest recommendation of each stabilization window, then
 * at most what the policies allow within their periods, within min and max. `msPerSecond` compresses time at
 * the sandbox's fast speed.
 */
export function normalize(
  proposal: number,
  current: number,
  limits: { min: number; max: number },
  behavior: Behavior,
  history: { recommendations: Recommendation[]; events: ScaleEvent[] },
  now: number,
  msPerSecond: number,
): Normalized {
  let up = proposal;
  let down = proposal;
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds * msPerSecond;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds * msPerSecond;
  for (const past of history.recommendations) {
    if (past.at > upCutoff) up = Math.min(up, past.replicas);
    if (past.at > downCutoff) down = Math.max(down, past.replicas);
  }
  let stabilizedReplicas = current;
  if (stabilizedReplicas < up) stabilizedReplicas = up;
  if (stabilizedReplicas > down) stabilizedReplicas = down;
  const stabilized: Condition =
    stabilizedReplicas === proposal
      ? { reason: 'ReadyForNewScale', message: 'recommended size matches current size' }
      : stabilizedReplicas < proposal
        ? {
            reason: 'ScaleUpStabilized',
            message:
              'recent recommendations were lower than current one, applying the lowest recent recommendation',
          }
        : {
            reason: 'ScaleDownStabilized',
            message:
              'recent recommendations were higher than current one, applying the highest recent recommendation',
          };

  const within = (period: number) => history.events.filter((e) => e.at > now - period * msPerSecond);
  const periodStart = (policy: ScalingPolicy) =>
    current - within(policy.periodSeconds).reduce((sum, e) => sum + e.change, 0);
  const limit = (rules: ScalingRules, propose: (policy: ScalingPolicy) => number, widest: 'max' | 'min') => {
    if (rules.selectPolicy === 'Disabled' || !rules.policies.length) return current;
    const proposals = rules.policies.map(propose);
    const pickWidest = rules.selectPolicy === 'Max';
    return (pickWidest === (widest === 'max') ? Math.max : Math.min)(...proposals);
  };
  const withinRange = {
    reason: 'DesiredWithinRange',
    message: 'the desired count is within the acceptable range',
  };
  if (stabilizedReplicas > current) {
    const rate = Math.max(
      current,
      limit(
        behavior.scaleUp,
        (p) =>
          p.type === 'Pods' ? periodStart(p) + p.value : Math.ceil(periodStart(p) * (1 + p.value / 100)),
        'max',
      ),
    );
    const byRate = limits.max > rate;
    const allowed = byRate ? rate : limits.max;
    if (stabilizedReplicas > allowed)
      return {
        replicas: allowed,
        stabilized,
        limited: byRate
          ? {
              status: true,
              reason: 'ScaleUpLimit',
              message: 'the desired replica count is increasing faster than the maximum scale rate',
            }
          : {
              status: true,
              reason: 'TooManyReplicas',
              message: 'the desired replica count is more than the maximum replica count',
            },
      };
  } else if (stabilizedReplicas < current) {
    const rate = Math.min(
      current,
      limit(
        behavior.scaleDown,
        (p) =>
          p.type === 'Pods' ? periodStart(p) - p.value : Math.trunc(periodStart(p) * (1 - p.value / 100)),
        'min',
      ),
    );
    const byRate = limits.min < rate;
    const allowed = byRate ? rate : limits.min;
    if (stabilizedReplicas < allowed)
      return {
        replicas: allowed,
        stabilized,
        limited: byRate
          ? {
              status: true,
              reason: 'ScaleDownLimit',
              message: 'the desired replica count is decreasing faster than the maximum scale rate',
            }
          : {
              status: true,
              reason: 'TooFewReplicas',
              message: 'the desired replica count is less than the minimum replica count',
            },
      };
  }
  return { replicas: stabilizedReplicas, stabilized, limited: { status: false, ...withinRange } };
}
