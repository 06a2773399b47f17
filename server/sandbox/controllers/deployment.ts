// Deployment controller: applies planDeployment's decisions through the API, with the events kubectl describe shows.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue, controllerUid, keyOf } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import { writeStatusIfChanged } from './pod-owner.ts';
import { adoptionPatch, ownerReference } from './workloads.ts';
import {
  labelSelectorFromSpec,
  matchesLabelSelector,
  type LabelSelectorSpec,
} from '../query/label-selector.ts';
import {
  HASH_LABEL,
  REVISION,
  REVISION_HISTORY,
  deploymentSpec,
  planDeployment,
  revisionOf,
  type DeploymentPlan,
} from './deployment-plan.ts';
import type { Clock } from '../../clock.ts';

const SOURCE = { component: 'deployment-controller' };
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** A Deployment claims the ReplicaSets its selector matches. */
function selects(deployment: KubeObject, rs: KubeObject): boolean {
  const selector = (deployment.spec as { selector?: LabelSelectorSpec } | undefined)?.selector;
  return matchesLabelSelector(labelSelectorFromSpec(selector), rs.metadata.labels);
}

export class DeploymentController {
  private readonly queue: ReconcileQueue;

  constructor(
    private readonly client: ClusterClient,
    private readonly deployments: Informer,
    private readonly replicaSets: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'deployments', (key) => this.reconcile(key));
    deployments.onChange((type, deployment) => {
      if (type !== 'DELETED') this.queue.enqueue(keyOf(deployment));
    });
    replicaSets.onChange((type, rs, previous) => {
      const uid = controllerUid(rs) ?? (previous && controllerUid(previous));
      const owner = uid ? this.deployments.byIndex('uid', uid)[0] : undefined;
      if (owner) this.queue.enqueue(keyOf(owner));
      else if (!uid && type !== 'DELETED') {
        // An orphan (its Deployment deleted with --cascade=orphan): a Deployment that selects it adopts it.
        for (const candidate of this.deployments.inNamespace(rs.metadata.namespace ?? '')) {
          if (selects(candidate, rs)) this.queue.enqueue(keyOf(candidate));
        }
      }
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private reconcile(key: string): void {
    const slash = key.indexOf('/');
    const deployment = this.deployments.get(key.slice(0, slash), key.slice(slash + 1));
    if (!deployment) return;
    const namespace = deployment.metadata.namespace;
    const replicaSets = [
      ...this.replicaSets.byIndex('controller', deployment.metadata.uid ?? ''),
      ...this.adoptOrphans(deployment),
    ];
    const plan = planDeployment(deployment, replicaSets, this.clock.now());

    if (plan.createRs) this.createReplicaSet(deployment, plan.createRs);
    if (plan.reviseRs) {
      const rs = plan.reviseRs.rs;
      const history = [rs.metadata.annotations?.[REVISION_HISTORY], String(revisionOf(rs))]
        .filter(Boolean)
        .join(',');
      this.client.patch(REF.replicasets, namespace, rs.metadata.name ?? '', 'merge', {
        metadata: {
          annotations: {
            [REVISION]: String(plan.reviseRs.revision),
            [REVISION_HISTORY]: history,
            [CHANGE_CAUSE]: deployment.metadata.annotations?.[CHANGE_CAUSE] ?? null,
          },
        },
      });
    }
    for (const { rs, to } of plan.scales) this.scale(deployment, rs, to);
    for (const rs of plan.deleteRs) {
      try {
        this.client.delete(REF.replicasets, namespace, rs.metadata.name ?? '');
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    }
    this.syncRevision(deployment, plan);
    writeStatusIfChanged(this.client, REF.deployments, deployment, plan.status);
    if (plan.deadlineInMs !== undefined) this.queue.enqueueAfter(key, plan.deadlineInMs + 1);
  }

  /**
   * Claim the namespace's ReplicaSets that have no controller and match the selector, as the real controller's
   * ControllerRefManager does: a Deployment re-created after an orphaning delete takes its old ReplicaSets (and
   * through them their pods) back instead of colliding with their names. Returns the adopted ReplicaSets.
   */
  private adoptOrphans(deployment: KubeObject): KubeObject[] {
    if (deployment.metadata.deletionTimestamp) return [];
    const adopted: KubeObject[] = [];
    for (const rs of this.replicaSets.byIndex('orphan', deployment.metadata.namespace ?? '')) {
      if (rs.metadata.deletionTimestamp || !selects(deployment, rs)) continue;
      try {
        adopted.push(
          this.client.patch(
            REF.replicasets,
            rs.metadata.namespace,
            rs.metadata.name ?? '',
            'merge',
            adoptionPatch(deployment, rs),
          ),
        );
      } catch (error) {
        // Changed or gone since the cache saw it: its watch event brings this Deployment back here.
        if (statusCode(error) !== 409 && statusCode(error) !== 404) throw error;
      }
    }
    return adopted;
  }

  private createReplicaSet(deployment: KubeObject, create: NonNullable<DeploymentPlan['createRs']>): void {
    const spec = deploymentSpec(deployment);
    const template = structuredClone(spec.template ?? {});
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: create.hash },
    };
    const selector = structuredClone(spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: create.hash };
    const changeCause = deployment.metadata.annotations?.[CHANGE_CAUSE];
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: create.name,
        namespace: deployment.metadata.namespace,
        labels: template.metadata.labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(spec.replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': String(spec.replicas ?? 1),
          [REVISION]: String(create.revision),
          ...(changeCause ? { [CHANGE_CAUSE]: changeCause } : {}),
        },
        ownerReferences: [ownerReference(deployment)],
      },
      spec: { replicas: create.replicas, minReadySeconds: spec.minReadySeconds ?? 0, selector, template },
    };
    try {
      this.client.create(REF.replicasets, deployment.metadata.namespace, rs);
    } catch (error) {
      // Already there: the watch has not shown it to us yet.
      if (statusCode(error) === 409) return;
      throw error;
    }
    if (create.replicas > 0) this.scaledEvent(deployment, create.name, 0, create.replicas);
  }

  private scale(deployment: KubeObject, rs: KubeObject, to: number): void {
    const from = ((rs.spec ?? {}) as { replicas?: number }).replicas ?? 0;
    this.client.patch(REF.replicasets, rs.metadata.namespace, rs.metadata.name ?? '', 'merge', {
      metadata: {
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(deploymentSpec(deployment).replicas ?? 1),
        },
      },
      spec: { replicas: to },
    });
    this.scaledEvent(deployment, rs.metadata.name ?? '', from, to);
  }

  private scaledEvent(deployment: KubeObject, rsName: string, from: number, to: number): void {
    this.recorder.record(deployment, SOURCE, {
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: `Scaled ${to > from ? 'up' : 'down'} replica set ${rsName} from ${from} to ${to}`,
    });
  }

  /** The Deployment carries its current revision as an annotation, as `kubectl rollout history` expects. */
  private syncRevision(deployment: KubeObject, plan: DeploymentPlan): void {
    const revision = plan.createRs?.revision ?? plan.reviseRs?.revision;
    const current = this.replicaSets
      .byIndex('controller', deployment.metadata.uid ?? '')
      .reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
    const wanted = String(revision ?? current);
    if (wanted === '0' || deployment.metadata.annotations?.[REVISION] === wanted) return;
    this.client.patch(
      REF.deployments,
      deployment.metadata.namespace,
      deployment.metadata.name ?? '',
      'merge',
      {
        metadata: { annotations: { [REVISION]: wanted } },
      },
    );
  }
}
