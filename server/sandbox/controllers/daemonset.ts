// DaemonSet: one pod per eligible node (selector, affinity, tolerated taints), placed by the scheduler through a
// node affinity on the node's name, as the real controller does; template changes roll one node at a time.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF, keyOf } from './runtime.ts';
import {
  labelSelectorFromSpec,
  matchesLabelSelector,
  type LabelSelectorSpec,
} from '../query/label-selector.ts';
import { PodOwnerController } from './pod-owner.ts';
import { matchesNodeAffinity, tolerates } from '../scheduler/schedule.ts';
import { podTemplateHash } from './deployment-plan.ts';
import { isPodActive, isPodReady, podFromTemplate, randomSuffix, type PodTemplate } from './workloads.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

const REVISION_LABEL = 'controller-revision-hash';

/** Tolerations the DaemonSet controller adds so its pods stay on troubled and cordoned nodes. */
const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
}

function daemonPodSpec(template: PodTemplate, nodeName: string): Record<string, unknown> {
  const spec = structuredClone(template.spec ?? {}) as { tolerations?: Toleration[]; hostNetwork?: boolean };
  const tolerations = [...(spec.tolerations ?? [])];
  const extra = spec.hostNetwork
    ? [
        ...DAEMON_TOLERATIONS,
        { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' },
      ]
    : DAEMON_TOLERATIONS;
  for (const toleration of extra) {
    if (!tolerations.some((t) => t.key === toleration.key && t.effect === toleration.effect))
      tolerations.push(toleration);
  }
  return {
    ...spec,
    tolerations,
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] },
          ],
        },
      },
    },
  };
}

/** The node a daemon pod is for: where it runs, or the node its affinity names. */
export function daemonPodNode(pod: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as {
    nodeName?: string;
    affinity?: {
      nodeAffinity?: {
        requiredDuringSchedulingIgnoredDuringExecution?: {
          nodeSelectorTerms?: { matchFields?: { values?: string[] }[] }[];
        };
      };
    };
  };
  return (
    spec.nodeName ??
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]
      ?.matchFields?.[0]?.values?.[0]
  );
}

export function eligibleNodes(ds: KubeObject, nodes: KubeObject[]): KubeObject[] {
  const template = ((ds.spec ?? {}) as { template?: PodTemplate }).template ?? {};
  return nodes.filter((node) => {
    const probe: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {},
      spec: daemonPodSpec(template, node.metadata.name ?? ''),
    };
    const taints =
      ((node.spec ?? {}) as { taints?: { key: string; value?: string; effect: string }[] }).taints ?? [];
    const tolerations = (probe.spec as { tolerations?: Toleration[] }).tolerations;
    return (
      matchesNodeAffinity(probe, node) &&
      taints.every(
        (t) => (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerates(tolerations, t),
      )
    );
  });
}

const selectorOf = (ds: KubeObject) =>
  labelSelectorFromSpec((ds.spec as { selector?: LabelSelectorSpec } | undefined)?.selector);

export class DaemonSetController extends PodOwnerController {
  constructor(
    client: ClusterClient,
    owners: Informer,
    pods: Informer,
    private readonly nodes: Informer,
    recorder: EventRecorder,
    clock: Clock,
    private readonly random: RandomSource,
  ) {
    super(client, REF.daemonsets, owners, pods, recorder, clock, 'daemonset-controller');
    nodes.onChange(() => {
      for (const ds of this.owners.objects.values())
        this.queue.enqueue(`${ds.metadata.namespace}/${ds.metadata.name}`);
    });
  }

  protected override onOrphan(pod: KubeObject): void {
    for (const ds of this.owners.inNamespace(pod.metadata.namespace ?? '')) {
      if (matchesLabelSelector(selectorOf(ds), pod.metadata.labels)) this.queue.enqueue(keyOf(ds));
    }
  }

  protected reconcile(ds: KubeObject, claimed: KubeObject[], inFlight: number): void {
    // Pods left behind by an orphaning delete are taken back, so a re-created DaemonSet keeps one per node.
    const owned = [...claimed, ...this.adoptOrphans(ds, selectorOf(ds), () => true)];
    const template = ((ds.spec ?? {}) as { template?: PodTemplate }).template ?? {};
    const hash = podTemplateHash(template);
    const eligible = eligibleNodes(ds, [...this.nodes.objects.values()]);
    const eligibleNames = new Set(eligible.map((n) => n.metadata.name ?? ''));
    const active = owned.filter(isPodActive);
    const byNode = new Map<string, KubeObject[]>();
    for (const pod of active) {
      const node = daemonPodNode(pod) ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    if (!ds.metadata.deletionTimestamp && inFlight === 0) {
      for (const name of eligibleNames) {
        if (byNode.has(name)) continue;
        const generateName = `${ds.metadata.name}-`;
        const pod = podFromTemplate(template, ds, generateName + randomSuffix(this.random), {
          generateName,
          labels: { [REVISION_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
          spec: daemonPodSpec(template, name),
        });
        this.createPod(ds, pod);
      }
    }
    for (const [node, pods] of byNode) {
      const extra = eligibleNames.has(node) ? pods.slice(1) : pods;
      for (const pod of extra) this.deletePod(ds, pod);
    }
    // Rolling update, one node at a time: replace an outdated pod only when every other pod is ready.
    const outdated = active.filter((p) => p.metadata.labels?.[REVISION_LABEL] !== hash);
    const allReady = active.every(isPodReady) && owned.length === active.length;
    if (outdated[0] && allReady && inFlight === 0) this.deletePod(ds, outdated[0]);

    const scheduled = active.filter((p) => eligibleNames.has(daemonPodNode(p) ?? ''));
    const ready = scheduled.filter(isPodReady).length;
    this.writeStatus(ds, {
      currentNumberScheduled: new Set(scheduled.map(daemonPodNode)).size,
      desiredNumberScheduled: eligible.length,
      numberMisscheduled: active.length - scheduled.length,
      numberReady: ready,
      numberAvailable: ready,
      numberUnavailable: eligible.length - ready || undefined,
      updatedNumberScheduled: scheduled.filter((p) => p.metadata.labels?.[REVISION_LABEL] === hash).length,
      observedGeneration: ds.metadata.generation ?? 0,
    });
  }
}
