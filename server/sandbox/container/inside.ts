// Every running container's inside, kept for the container's lifetime: its file system (image files plus the pod's
// volumes), its environment and its processes. A restarted container starts from the image again; its volumes stay.
import type { ClusterClient, KubeObject, WatchEvent } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import { specOf, type ContainerSpec } from '../pod/spec.ts';
import { statusOf } from '../pod/status.ts';
import { imageName } from '../kubelet/programs.ts';
import { FileSystem } from './filesystem.ts';
import { containerEnvironment, type EnvContainer } from './environment.ts';
import { imageRoot } from './image-files.ts';
import { ClusterNetwork } from './network.ts';
import { ProcessTable } from './processes.ts';
import {
  VolumeData,
  containerMounts,
  serviceAccountFiles,
  type Volume,
  type VolumeMount,
} from './volumes.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

export interface ContainerInside {
  /** The pod as the API has it now. */
  pod(): KubeObject;
  container: ContainerSpec & EnvContainer;
  /** The image's short name: nginx, busybox, http-echo, … */
  image: string;
  hostname: string;
  fs: FileSystem;
  env: Map<string, string>;
  processes: ProcessTable;
  network: ClusterNetwork;
  /** The cluster's API, as the etcd member that stores it sees it. */
  client: ClusterClient;
  clock: Clock;
  /** The insides of other containers (an HTTP request reaches another pod's web server and its files). */
  insides: ContainerInsides;
}

/** Why a container has no inside to enter, worded as the apiserver answers (kubectl prints it after "error:"). */
export class NoContainerError extends Error {}

export class ContainerInsides {
  private readonly byContainer = new Map<string, ContainerInside>();
  readonly network: ClusterNetwork;
  private readonly volumes: VolumeData;

  constructor(
    private readonly client: ClusterClient,
    private readonly clock: Clock,
    random: RandomSource,
  ) {
    this.network = new ClusterNetwork(client, random);
    this.volumes = new VolumeData(() => clock.now());
  }

  /** The named container's inside (the first container when no name is given); throws NoContainerError. */
  enter(pod: KubeObject, containerName: string | undefined): ContainerInside {
    const containers = specOf(pod).containers ?? [];
    const container = containerName ? containers.find((c) => c.name === containerName) : containers[0];
    if (!container)
      throw new NoContainerError(`container ${containerName} is not valid for pod ${pod.metadata.name}`);
    const status = statusOf(pod).containerStatuses?.find((s) => s.name === container.name);
    if (!status || !('running' in status.state)) {
      throw new NoContainerError(`unable to upgrade connection: container not found ("${container.name}")`);
    }
    const key = `${pod.metadata.uid}/${container.name}/${status.restartCount}`;
    let inside = this.byContainer.get(key);
    if (!inside) {
      inside = this.create(pod, container as ContainerSpec & EnvContainer);
      this.byContainer.set(key, inside);
    }
    return inside;
  }

  /** The inside of a running container of a pod, for traffic reaching it; undefined when it is not running. */
  reach(pod: KubeObject, containerName: string): ContainerInside | undefined {
    try {
      return this.enter(pod, containerName);
    } catch (error) {
      if (error instanceof NoContainerError) return undefined;
      throw error;
    }
  }

  /**
   * Follows the pods: a deleted pod's insides (and emptyDirs) go with it, as the runtime removes its containers;
   * `onEvent` sees every event after that. Returns a stop function.
   */
  watchPods(onEvent: (event: WatchEvent) => void): () => void {
    return this.client.watch(REF.pods, {}, (event) => {
      if (event.type === 'DELETED') this.forgetPod(event.object.metadata.uid ?? '');
      onEvent(event);
    });
  }

  private forgetPod(uid: string): void {
    // Keys start with the pod's uid.
    for (const key of this.byContainer.keys()) if (key.startsWith(`${uid}/`)) this.byContainer.delete(key);
    this.volumes.forgetPod(uid);
  }

  private create(pod: KubeObject, container: ContainerSpec & EnvContainer): ContainerInside {
    const now = this.clock.now();
    const namespace = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    const image = imageName(container.image);
    const hostname = (pod.spec as { hostname?: string }).hostname ?? name;
    const root = imageRoot({
      pod,
      image,
      hostname,
      dnsServer: this.network.dnsServerIP(),
      searchDomains: this.network.searchDomains(namespace),
      now,
    });
    const fs = new FileSystem(root, () => this.clock.now());
    const spec = pod.spec as { volumes?: Volume[]; automountServiceAccountToken?: boolean };
    const volumeMounts = (container as { volumeMounts?: VolumeMount[] }).volumeMounts ?? [];
    const context = { client: this.client, data: this.volumes, pod, now: () => this.clock.now() };
    if (spec.automountServiceAccountToken !== false) {
      const files = serviceAccountFiles(pod, now);
      fs.mount({ path: '/var/run/secrets/kubernetes.io/serviceaccount', root: () => files, readOnly: true });
    }
    for (const mount of containerMounts(volumeMounts, spec.volumes ?? [], context)) fs.mount(mount);
    const uid = pod.metadata.uid;
    const client = this.client;
    let last = pod;
    return {
      pod: () => {
        const current = client.tryGet(REF.pods, namespace, name);
        if (current && current.metadata.uid === uid) last = current;
        return last;
      },
      container,
      image,
      hostname,
      fs,
      env: containerEnvironment(this.client, pod, container, []),
      processes: new ProcessTable(mainProcess(container, image), this.clock),
      network: this.network,
      client: this.client,
      clock: this.clock,
      insides: this,
    };
  }
}

/** PID 1's command line as `ps` shows it. */
function mainProcess(container: ContainerSpec, image: string): string {
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  if (words.length) return words.join(' ');
  switch (image) {
    case 'nginx':
    case 'nginx-slim':
      return 'nginx: master process nginx -g daemon off;';
    case 'httpd':
      return 'httpd -DFOREGROUND';
    case 'http-echo':
      return '/http-echo';
    case 'etcd':
      return 'etcd';
    case 'redis':
      return 'redis-server *:6379';
    default:
      return 'sh';
  }
}
