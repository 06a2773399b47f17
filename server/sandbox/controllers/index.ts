// The simulated cluster behind the sandbox's API: nodes, scheduler, kubelets and controllers, all plain clients
// of the registry (watch + writes), as kube-controller-manager, kube-scheduler and kubelets are of an apiserver.
import type { ClusterClient, KubeObject, ResourceRef } from '../types.ts';
import { resources } from '../registry/resources.ts';
import { Kubelets } from '../kubelet/kubelet.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { SPEEDS } from '../stages/speed.ts';
import { installBootstrapPolicy } from '../auth/bootstrap-policy.ts';
import { ClusterRoleAggregationController } from './cluster-role-aggregation.ts';
import { CronJobController } from './cronjob.ts';
import { DaemonSetController } from './daemonset.ts';
import { DeploymentController } from './deployment.ts';
import { DisruptionController } from './disruption.ts';
import { EventRecorder } from './events.ts';
import { GarbageCollector, ownerUids } from './garbage-collector.ts';
import { HPA_REF, HorizontalPodAutoscalerController } from './horizontal-pod-autoscaler.ts';
import { IngressController, installIngressClass } from './ingress.ts';
import { JobController } from './job.ts';
import { NamespaceController } from './namespaces.ts';
import { NodeLifecycleController } from './node-lifecycle.ts';
import { recordNodeJoined, registerNodes } from './nodes.ts';
import { ReplicaController } from './replicaset.ts';
import { ResourceQuotaController } from './resource-quota.ts';
import { ServiceAccountTokenController } from './service-account-tokens.ts';
import type { ServiceAccountTokens } from '../auth/service-account-tokens.ts';
import { createRootCertificate } from './root-ca.ts';
import { pacedClock } from './paced-clock.ts';
import { Informer, REF, controllerUid } from './runtime.ts';
import { ServiceController, sliceService } from './services.ts';
import { StatefulSetController } from './statefulset.ts';
import { VolumeBinder, installStorageClass } from './storage.ts';
import { installSystemComponents } from '../kubeadm/system-components.ts';
import { awaitSystemReady } from '../kubeadm/boot.ts';
import { clusterTopology } from './topology.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

export { setNodeReady } from './nodes.ts';

export interface ControllerOptions {
  clock: Clock;
  random: RandomSource;
  /** fast: transitions at once; realistic: image pulls and starts take seconds, with jitter. */
  speed: 'fast' | 'realistic';
  /** Worker nodes besides the control plane (default 2, as the Vagrant cluster). */
  nodes?: number;
  /** The nodes' names, the control plane first (their number overrides `nodes`); default: the Vagrant cluster's. */
  nodeNames?: string[];
  /** Kubelet version the nodes report (default v1.35.0). */
  kubeletVersion?: string;
  /** How long pods stay on a NotReady node before eviction (default 30 s; real clusters: 300 s). */
  podEvictionTimeoutMs?: number;
  /** Signs the tokens of legacy ServiceAccount token Secrets; without it those Secrets stay empty. */
  serviceAccountTokens?: ServiceAccountTokens;
}

const byUid = (object: KubeObject) => [object.metadata.uid ?? ''];
const byController = (object: KubeObject) => {
  const uid = controllerUid(object);
  return uid ? [uid] : [];
};
const orphansByNamespace = (object: KubeObject) =>
  controllerUid(object) ? [] : [object.metadata.namespace ?? ''];
const byNamespace = (object: KubeObject) => [object.metadata.namespace ?? ''];
const byNode = (object: KubeObject) => {
  const node = (object.spec as { nodeName?: string } | undefined)?.nodeName;
  return node ? [node] : [];
};

/** 16 bytes from the injected random source: the CA's serial number. */
const serial = (random: RandomSource) =>
  Buffer.from(Array.from({ length: 16 }, () => Math.floor(random() * 256)));

export interface RunningControllers {
  /** Resolves once the cluster's own pods run, as a kubeadm cluster's do when it first answers. */
  readonly booted: Promise<void>;
  stop(): void;
}

export function startControllers(client: ClusterClient, options: ControllerOptions): RunningControllers {
  const { random } = options;
  // Controller work yields to the API between slices (paced-clock.ts); every cluster on this clock shares the pace.
  const clock = pacedClock(options.clock);
  const version = options.kubeletVersion ?? 'v1.35.0';
  const topology = clusterTopology(options.nodes ?? 2, options.nodeNames);
  const joined = registerNodes(client, topology, version, new Date(clock.now()));

  const informers: Informer[] = [];
  // Every cache is indexed by uid and by owner uids: the garbage collector reads them all.
  const informer = (ref: ResourceRef, indexes: Record<string, (o: KubeObject) => string[]> = {}) => {
    const made = new Informer(client, ref);
    for (const [name, of] of Object.entries({ uid: byUid, owners: ownerUids, ...indexes }))
      made.addIndex(name, of);
    informers.push(made);
    return made;
  };
  const owned = { controller: byController };
  const pods = informer(REF.pods, {
    ...owned,
    orphan: orphansByNamespace,
    namespace: byNamespace,
    node: byNode,
  });
  const nodes = informer(REF.nodes);
  const namespaces = informer(REF.namespaces);
  const services = informer(REF.services, { namespace: byNamespace });
  const slices = informer(REF.endpointslices, { service: sliceService });
  const replicaSets = informer(REF.replicasets, { ...owned, orphan: orphansByNamespace });
  const replicationControllers = informer(REF.replicationcontrollers);
  const deployments = informer(REF.deployments);
  const daemonSets = informer(REF.daemonsets);
  const statefulSets = informer(REF.statefulsets);
  const jobs = informer(REF.jobs, owned);
  const cronJobs = informer(REF.cronjobs);
  const claims = informer(REF.persistentvolumeclaims);
  const budgets = informer(REF.poddisruptionbudgets, { namespace: byNamespace });
  const ingresses = informer(REF.ingresses);
  const ingressClasses = informer(REF.ingressclasses);
  const clusterRoles = informer(REF.clusterroles);
  const quotas = informer(REF.resourcequotas, { namespace: byNamespace });
  const secrets = informer(REF.secrets);
  const serviceAccounts = informer(REF.serviceaccounts);
  const autoscalers = informer(HPA_REF);
  // The garbage collector follows ownerReferences on every kind served (ConfigMaps, Secrets, PVCs … too), as the
  // real one discovers them; events are left out: nothing owns them, and they are the most numerous objects.
  for (const served of resources) {
    if (served.resource === 'events' || !['watch', 'delete'].every((verb) => served.verbs.includes(verb)))
      continue;
    if (informers.some((each) => each.ref.group === served.group && each.ref.resource === served.resource))
      continue;
    informer({ group: served.group, resource: served.resource });
  }

  const recorder = new EventRecorder(client, clock);
  const rootCertificate = createRootCertificate(new Date(clock.now()), serial(random));
  const masterIP = topology.find((n) => n.controlPlane)?.internalIP ?? '';
  const serviceController = new ServiceController(client, services, pods, slices, masterIP, clock, random);
  const kubelets = new Kubelets(client, pods, nodes, recorder, clock, random, SPEEDS[options.speed]);
  const parts: { stop(): void }[] = [
    new Scheduler(client, pods, nodes, recorder, clock, random),
    kubelets,
    new NodeLifecycleController(client, nodes, pods, recorder, clock, options.podEvictionTimeoutMs ?? 30_000),
    new ReplicaController(client, REF.replicasets, replicaSets, pods, recorder, clock, random),
    new ReplicaController(
      client,
      REF.replicationcontrollers,
      replicationControllers,
      pods,
      recorder,
      clock,
      random,
    ),
    new DeploymentController(client, deployments, replicaSets, recorder, clock),
    new DaemonSetController(client, daemonSets, pods, nodes, recorder, clock, random),
    new StatefulSetController(client, statefulSets, pods, recorder, clock),
    new JobController(client, jobs, pods, recorder, clock, random, SPEEDS[options.speed].timeScale),
    new CronJobController(client, cronJobs, jobs, recorder, clock),
    new HorizontalPodAutoscalerController(
      client,
      autoscalers,
      pods,
      recorder,
      clock,
      SPEEDS[options.speed].timeScale,
    ),
    new GarbageCollector(
      client,
      informers.map((each) => ({ ref: each.ref, informer: each })),
      clock,
    ),
    new NamespaceController(client, namespaces, rootCertificate, clock, serviceAccounts),
    serviceController,
    new VolumeBinder(client, claims, recorder, clock),
    new DisruptionController(client, budgets, pods, clock),
    new IngressController(client, ingresses, ingressClasses, masterIP, clock),
    new ClusterRoleAggregationController(client, clusterRoles, clock),
    new ResourceQuotaController(client, quotas, informers, clock),
    ...(options.serviceAccountTokens
      ? [
          new ServiceAccountTokenController(
            client,
            secrets,
            serviceAccounts,
            options.serviceAccountTokens,
            rootCertificate,
            clock,
          ),
        ]
      : []),
    recorder,
  ];
  for (const node of joined) recordNodeJoined(recorder, node);
  serviceController.ensureKubernetesService();
  installSystemComponents(client, topology, version);
  installIngressClass(client);
  installStorageClass(client);
  installBootstrapPolicy(client);
  const boot = awaitSystemReady(client, clock, () => kubelets.booted());
  // Handlers are all registered: start the watches (their initial ADDED events reach every controller).
  for (const each of informers) each.start();
  return {
    booted: boot.done,
    stop() {
      boot.cancel();
      for (const each of informers) each.stop();
      for (const part of parts) part.stop();
    },
  };
}
