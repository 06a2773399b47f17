// HorizontalPodAutoscaler autoscaling/v2 (stored) ↔ autoscaling/v1 (served view), as the apiserver converts them.
// v1 only has a CPU utilization target; everything else v2 holds rides in the round-trip annotations the
// apiserver still writes on a v1 view (pkg/apis/autoscaling/v1 conversion, 1.35): other metrics, current metrics,
// conditions, behavior and tolerances. Those annotations are read back on a v1 write and never stored.
import type { KubeObject } from '../types.ts';

type Json = Record<string, unknown>;

export const roundTripAnnotations = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
  scaleUpTolerance: 'autoscaling.alpha.kubernetes.io/scale-up-tolerance',
  scaleDownTolerance: 'autoscaling.alpha.kubernetes.io/scale-down-tolerance',
} as const;

/** v1 has no implicit target: a v1 object without one scales on 80% CPU, written out explicitly in v2. */
const defaultCpuUtilization = 80;

/** A v1 object whose round-trip annotations cannot be read back. */
export class ConversionError extends Error {}

const isJson = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const obj = (value: unknown): Json => (isJson(value) ? value : {});
const arr = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isJson) : []);

/** Drops undefined values so converted objects compare and serialize like the apiserver's omitempty output. */
function compact(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** A Go non-pointer Quantity: always serialized, "0" when unset. */
const quantity = (value: unknown) => value ?? '0';

const isCpuUtilization = (metric: Json) =>
  metric.type === 'Resource' &&
  obj(metric.resource).name === 'cpu' &&
  obj(obj(metric.resource).target).averageUtilization !== undefined;

// --- metric specs --------------------------------------------------------------------------------------------

function metricSpecToV1(metric: Json): Json {
  const { type } = metric;
  switch (type) {
    case 'Object': {
      const source = obj(metric.object);
      const target = obj(source.target);
      const described = obj(source.describedObject);
      return {
        type,
        object: compact({
          target: compact({ kind: described.kind, name: described.name, apiVersion: described.apiVersion }),
          metricName: obj(source.metric).name,
          targetValue: quantity(target.value),
          selector: obj(source.metric).selector,
          averageValue: target.averageValue,
        }),
      };
    }
    case 'Pods': {
      const source = obj(metric.pods);
      return {
        type,
        pods: compact({
          metricName: obj(source.metric).name,
          targetAverageValue: quantity(obj(source.target).averageValue),
          selector: obj(source.metric).selector,
        }),
      };
    }
    case 'Resource':
    case 'ContainerResource': {
      const field = type === 'Resource' ? 'resource' : 'containerResource';
      const source = obj(metric[field]);
      const target = obj(source.target);
      return {
        type,
        [field]: compact({
          name: source.name,
          container: source.container,
          targetAverageUtilization: target.averageUtilization,
          targetAverageValue: target.averageValue,
        }),
      };
    }
    case 'External': {
      const source = obj(metric.external);
      const target = obj(source.target);
      return {
        type,
        external: compact({
          metricName: obj(source.metric).name,
          metricSelector: obj(source.metric).selector,
          targetValue: target.value,
          targetAverageValue: target.averageValue,
        }),
      };
    }
    default:
      return { type };
  }
}

function metricSpecFromV1(metric: Json): Json {
  const { type } = metric;
  switch (type) {
    case 'Object': {
      const source = obj(metric.object);
      const target = obj(source.target);
      return {
        type,
        object: {
          describedObject: compact({ kind: target.kind, name: target.name, apiVersion: target.apiVersion }),
          target: compact({
            type: source.averageValue === undefined ? 'Value' : 'AverageValue',
            value: quantity(source.targetValue),
            averageValue: source.averageValue,
          }),
          metric: compact({ name: source.metricName, selector: source.selector }),
        },
      };
    }
    case 'Pods': {
      const source = obj(metric.pods);
      return {
        type,
        pods: {
          metric: compact({ name: source.metricName, selector: source.selector }),
          target: { type: 'AverageValue', averageValue: quantity(source.targetAverageValue) },
        },
      };
    }
    case 'Resource':
    case 'ContainerResource': {
      const field = type === 'Resource' ? 'resource' : 'containerResource';
      const source = obj(metric[field]);
      return {
        type,
        [field]: compact({
          name: source.name,
          container: source.container,
          target: compact({
            type: source.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization',
            averageUtilization: source.targetAverageUtilization,
            averageValue: source.targetAverageValue,
          }),
        }),
      };
    }
    case 'External': {
      const source = obj(metric.external);
      return {
        type,
        external: {
          metric: compact({ name: source.metricName, selector: source.metricSelector }),
          target: compact({
            type: source.targetValue === undefined ? 'AverageValue' : 'Value',
            value: source.targetValue,
            averageValue: source.targetAverageValue,
          }),
        },
      };
    }
    default:
      return { type };
  }
}

// --- metric statuses -----------------------------------------------------------------------------------------

function metricStatusToV1(metric: Json): Json {
  const { type } = metric;
  switch (type) {
    case 'Object': {
      const source = obj(metric.object);
      const current = obj(source.current);
      const described = obj(source.describedObject);
      return {
        type,
        object: compact({
          target: compact({ kind: described.kind, name: described.name, apiVersion: described.apiVersion }),
          metricName: obj(source.metric).name,
          currentValue: quantity(current.value),
          selector: obj(source.metric).selector,
          averageValue: current.averageValue,
        }),
      };
    }
    case 'Pods': {
      const source = obj(metric.pods);
      return {
        type,
        pods: compact({
          metricName: obj(source.metric).name,
          currentAverageValue: quantity(obj(source.current).averageValue),
          selector: obj(source.metric).selector,
        }),
      };
    }
    case 'Resource':
    case 'ContainerResource': {
      const field = type === 'Resource' ? 'resource' : 'containerResource';
      const source = obj(metric[field]);
      const current = obj(source.current);
      return {
        type,
        [field]: compact({
          name: source.name,
          container: source.container,
          currentAverageUtilization: current.averageUtilization,
          currentAverageValue: quantity(current.averageValue),
        }),
      };
    }
    case 'External': {
      const source = obj(metric.external);
      const current = obj(source.current);
      return {
        type,
        external: compact({
          metricName: obj(source.metric).name,
          metricSelector: obj(source.metric).selector,
          currentValue: quantity(current.value),
          currentAverageValue: current.averageValue,
        }),
      };
    }
    default:
      return { type };
  }
}

function metricStatusFromV1(metric: Json): Json {
  const { type } = metric;
  switch (type) {
    case 'Object': {
      const source = obj(metric.object);
      const target = obj(source.target);
      return {
        type,
        object: {
          describedObject: compact({ kind: target.kind, name: target.name, apiVersion: target.apiVersion }),
          current: compact({ value: quantity(source.currentValue), averageValue: source.averageValue }),
          metric: compact({ name: source.metricName, selector: source.selector }),
        },
      };
    }
    case 'Pods': {
      const source = obj(metric.pods);
      return {
        type,
        pods: {
          metric: compact({ name: source.metricName, selector: source.selector }),
          current: { averageValue: quantity(source.currentAverageValue) },
        },
      };
    }
    case 'Resource':
    case 'ContainerResource': {
      const field = type === 'Resource' ? 'resource' : 'containerResource';
      const source = obj(metric[field]);
      return {
        type,
        [field]: compact({
          name: source.name,
          container: source.container,
          current: compact({
            averageValue: quantity(source.currentAverageValue),
            averageUtilization: source.currentAverageUtilization,
          }),
        }),
      };
    }
    case 'External': {
      const source = obj(metric.external);
      return {
        type,
        external: {
          metric: compact({ name: source.metricName, selector: source.metricSelector }),
          current: compact({
            value: quantity(source.currentValue),
            averageValue: source.currentAverageValue,
          }),
        },
      };
    }
    default:
      return { type };
  }
}

// --- behavior ------------------------------------------------------------------------------------------------

// The apiserver marshals its internal behavior type, which has no JSON tags: Go field names, null for unset
// pointers. Tolerances travel in their own annotations.
function rulesToAnnotation(rules: unknown): unknown {
  if (!isJson(rules)) return null;
  return {
    StabilizationWindowSeconds: rules.stabilizationWindowSeconds ?? null,
    SelectPolicy: rules.selectPolicy ?? null,
    Policies: Array.isArray(rules.policies)
      ? arr(rules.policies).map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds }))
      : null,
  };
}

/** Go's encoding/json matches field names case-insensitively. */
function field(record: Json, name: string): unknown {
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (record[key] ?? undefined);
}

function rulesFromAnnotation(rules: unknown, tolerance: string | undefined): Json | undefined {
  if (!isJson(rules)) return undefined;
  const policies = field(rules, 'policies');
  return compact({
    stabilizationWindowSeconds: field(rules, 'stabilizationWindowSeconds'),
    selectPolicy: field(rules, 'selectPolicy'),
    policies: Array.isArray(policies)
      ? arr(policies).map((p) =>
          compact({
            type: field(p, 'type'),
            value: field(p, 'value'),
            periodSeconds: field(p, 'periodSeconds'),
          }),
        )
      : undefined,
    tolerance,
  });
}

// --- whole objects -------------------------------------------------------------------------------------------

function withoutRoundTrip(annotations: Record<string, string> | undefined): Record<string, string> {
  const names: string[] = Object.values(roundTripAnnotations);
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => !names.includes(key)));
}

function metadataWith(object: KubeObject, annotations: Record<string, string>) {
  const { annotations: _old, ...metadata } = object.metadata;
  return Object.keys(annotations).length ? { ...metadata, annotations } : metadata;
}

/** The autoscaling/v1 view of a stored autoscaling/v2 HorizontalPodAutoscaler. */
export function hpaToV1(stored: KubeObject): KubeObject {
  const spec = obj(stored.spec);
  const status = isJson(stored.status) ? stored.status : undefined;
  const metrics = arr(spec.metrics);
  const cpu = metrics.find(isCpuUtilization);
  // Every CPU utilization metric is left out of the annotation: v1 keeps the first one's target.
  const others = metrics.filter((metric) => !isCpuUtilization(metric));
  const currentMetrics = arr(status?.currentMetrics);
  const conditions = arr(status?.conditions);
  const behavior = isJson(spec.behavior) ? spec.behavior : undefined;

  const annotations = withoutRoundTrip(stored.metadata.annotations);
  if (others.length) annotations[roundTripAnnotations.metrics] = JSON.stringify(others.map(metricSpecToV1));
  if (currentMetrics.length) {
    annotations[roundTripAnnotations.currentMetrics] = JSON.stringify(currentMetrics.map(metricStatusToV1));
  }
  if (conditions.length) {
    annotations[roundTripAnnotations.conditions] = JSON.stringify(
      conditions.map((c) =>
        compact({
          type: c.type,
          status: c.status,
          lastTransitionTime: c.lastTransitionTime,
          reason: c.reason,
          message: c.message,
        }),
      ),
    );
  }
  if (behavior) {
    annotations[roundTripAnnotations.behavior] = JSON.stringify({
      ScaleUp: rulesToAnnotation(behavior.scaleUp),
      ScaleDown: rulesToAnnotation(behavior.scaleDown),
    });
    const up = obj(behavior.scaleUp).tolerance;
    const down = obj(behavior.scaleDown).tolerance;
    if (up !== undefined) annotations[roundTripAnnotations.scaleUpTolerance] = String(up);
    if (down !== undefined) annotations[roundTripAnnotations.scaleDownTolerance] = String(down);
  }

  const currentCpu = currentMetrics.find(
    (m) =>
      m.type === 'Resource' &&
      obj(m.resource).name === 'cpu' &&
      obj(obj(m.resource).current).averageUtilization !== undefined,
  );
  const { spec: _spec, status: _status, ...rest } = stored;
  return {
    ...rest,
    apiVersion: 'autoscaling/v1',
    metadata: metadataWith(stored, annotations),
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpu && obj(obj(cpu.resource).target).averageUtilization,
    }),
    // v1's replica counts are not optional: a v1 object always shows them, 0 before the controller's first write.
    status: compact({
      observedGeneration: status?.observedGeneration,
      lastScaleTime: status?.lastScaleTime,
      currentReplicas: status?.currentReplicas ?? 0,
      desiredReplicas: status?.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: currentCpu && obj(obj(currentCpu.resource).current).averageUtilization,
    }),
  };
}

function readAnnotation(annotations: Record<string, string>, name: string): unknown {
  const text = annotations[name];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConversionError(
      `annotation ${name} is not valid JSON: ${text} (remove it, or write the object as autoscaling/v2)`,
    );
  }
}

/** The autoscaling/v2 object to store for an autoscaling/v1 HorizontalPodAutoscaler. */
export function hpaFromV1(served: KubeObject): KubeObject {
  const spec = obj(served.spec);
  const status = isJson(served.status) ? served.status : undefined;
  const annotations = served.metadata.annotations ?? {};
  const others = readAnnotation(annotations, roundTripAnnotations.metrics);
  const currentMetrics = readAnnotation(annotations, roundTripAnnotations.currentMetrics);
  const conditions = readAnnotation(annotations, roundTripAnnotations.conditions);
  const behavior = readAnnotation(annotations, roundTripAnnotations.behavior);

  const cpuTarget = spec.targetCPUUtilizationPercentage;
  const cpu = (averageUtilization: unknown) => ({
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
  });
  const metrics = [
    ...arr(others).map(metricSpecFromV1),
    ...(cpuTarget === undefined ? [] : [cpu(cpuTarget)]),
  ];
  const scaleUp =
    isJson(behavior) &&
    rulesFromAnnotation(field(behavior, 'scaleUp'), annotations[roundTripAnnotations.scaleUpTolerance]);
  const scaleDown =
    isJson(behavior) &&
    rulesFromAnnotation(field(behavior, 'scaleDown'), annotations[roundTripAnnotations.scaleDownTolerance]);

  const currentCpu = status?.currentCPUUtilizationPercentage;
  const statusMetrics =
    currentMetrics !== undefined
      ? arr(currentMetrics).map(metricStatusFromV1)
      : currentCpu !== undefined
        ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCpu } } }]
        : [];

  const { spec: _spec, status: _status, ...rest } = served;
  return {
    ...rest,
    apiVersion: 'autoscaling/v2',
    metadata: metadataWith(served, withoutRoundTrip(annotations)),
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics: metrics.length ? metrics : [cpu(defaultCpuUtilization)],
      behavior: isJson(behavior)
        ? compact({ scaleUp: scaleUp || undefined, scaleDown: scaleDown || undefined })
        : undefined,
    }),
    ...(status
      ? {
          status: compact({
            observedGeneration: status.observedGeneration,
            lastScaleTime: status.lastScaleTime,
            // v2 omits a zero currentReplicas, as its JSON encoding does.
            currentReplicas: status.currentReplicas || undefined,
            desiredReplicas: status.desiredReplicas ?? 0,
            currentMetrics: statusMetrics.length ? statusMetrics : undefined,
            conditions: conditions === undefined ? undefined : arr(conditions),
          }),
        }
      : {}),
  };
}
