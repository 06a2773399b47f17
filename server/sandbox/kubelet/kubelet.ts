// The simulated kubelets of every node: each bound pod gets at most one pending stage transition; a newer watch
// event for the pod replaces it. A node whose kubelet is stopped (NotReady) runs nothing, as a dead node.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from '../controllers/events.ts';
import type { Informer } from '../controllers/runtime.ts';
import { statusCode } from '../../errors.ts';
import { KeyedTimers, REF, keyOf } from '../controllers/runtime.ts';
import { isNodeReady } from '../controllers/nodes.ts';
import { claimLookup, multiAttachError } from '../controllers/storage.ts';
import {
  POD_STAGES,
  remember,
  type PodMemory,
  type PodStage,
  type PodStageContext,
  type PodStageEffect,
} from '../stages/pod-stages.ts';
import { statusOf } from '../pod/status.ts';
import { specOf } from '../pod/spec.ts';
import { selectStage } from '../stages/stage.ts';
import { SPEEDS, type SpeedProfile } from '../stages/speed.ts';
import { isSystemPod } from '../kubeadm/boot.ts';
import { pullImage } from './images.ts';
import { logger } from '../../log.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

/** Host-local IPAM: addresses .2–.254 of the node's /24, handed out round robin. */
class NodeAddresses {
  private readonly used = new Set<number>();
  private next = 2;

  constructor(private readonly prefix: string) {}

  reserve(ip: string): void {
    if (ip.startsWith(this.prefix)) this.used.add(Number(ip.slice(this.prefix.length)));
  }

  release(ip: string): void {
    if (ip.startsWith(this.prefix)) this.used.delete(Number(ip.slice(this.prefix.length)));
  }

  allocate(): string {
    for (let tries = 0; tries < 253; tries++) {
      const candidate = this.next;
      this.next = this.next >= 254 ? 2 : this.next + 1;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return `${this.prefix}${candidate}`;
      }
    }
    // A full /24: the real kubelet fails sandbox creation; reuse is the kinder simulation here.
    return `${this.prefix}${this.next}`;
  }
}

export class Kubelets {
  private readonly timers: KeyedTimers;
  private readonly memory = new Map<string, PodMemory>();
  private readonly addresses = new Map<string, NodeAddresses>();
  private readonly images = new Map<string, Set<string>>();
  /**
   * Until the cluster has booted, its own pods start at once from images already on the node, as `kubeadm init`
   * and `kubeadm join` leave them (kubeadm/boot.ts).
   */
  private booting = true;

  constructor(
    private readonly client: ClusterClient,
    private readonly pods: Informer,
    private readonly nodes: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly speed: SpeedProfile,
  ) {
    this.timers = new KeyedTimers(clock);
    pods.onChange((type, pod) => this.onPod(type, pod));
    nodes.onChange((type, node, previous) => {
      if (type === 'DELETED') return;
      const ready = isNodeReady(node);
      if (previous && isNodeReady(previous) === ready) return;
      for (const pod of this.pods.objects.values()) {
        if (specOf(pod).nodeName !== node.metadata.name) continue;
        if (ready) this.evaluate(pod);
        else this.timers.cancel(pod.metadata.uid ?? '');
      }
    });
  }

  stop(): void {
    this.timers.cancelAll();
  }

  /** The cluster's own pods run: from now on every pod takes the time the cluster's speed gives. */
  booted(): void {
    this.booting = false;
  }

  private onPod(type: string, pod: KubeObject): void {
    const uid = pod.metadata.uid ?? '';
    const nodeName = specOf(pod).nodeName;
    const ip = statusOf(pod).podIP;
    if (type === 'DELETED') {
      this.timers.cancel(uid);
      this.memory.delete(uid);
      this.recorder.forget(uid);
      if (nodeName && ip) this.addressesOf(nodeName)?.release(ip);
      return;
    }
    if (!nodeName) return;
    if (ip && type === 'ADDED') this.addressesOf(nodeName)?.reserve(ip);
    this.evaluate(pod);
  }

  private addressesOf(nodeName: string): NodeAddresses | undefined {
    let addresses = this.addresses.get(nodeName);
    if (!addresses) {
      const cidr = (this.nodes.get(undefined, nodeName)?.spec as { podCIDR?: string } | undefined)?.podCIDR;
      if (!cidr) return undefined;
      addresses = new NodeAddresses(cidr.replace(/\d+\/\d+$/, ''));
      this.addresses.set(nodeName, addresses);
    }
    return addresses;
  }

  private context(pod: KubeObject, node: KubeObject): PodStageContext {
    const uid = pod.metadata.uid ?? '';
    const nodeName = node.metadata.name ?? '';
    const memory = this.memory.get(uid) ?? { killing: false, pullFailures: {} };
    const addresses = (node.status as { addresses?: { type: string; address: string }[] } | undefined)
      ?.addresses;
    const images = this.images.get(nodeName) ?? new Set<string>();
    this.images.set(nodeName, images);
    const nodeIP = addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    const booting = this.booting && isSystemPod(pod);
    let attachError: { message?: string } | undefined;
    return {
      now: this.clock.now(),
      speed: booting ? SPEEDS.fast : this.speed,
      random: this.random,
      nodeName,
      nodeIP,
      // Host-network pods (static control-plane pods, kube-proxy, flannel) share the node's address.
      podIP: () =>
        statusOf(pod).podIP ??
        (specOf(pod).hostNetwork ? nodeIP : undefined) ??
        this.addressesOf(nodeName)?.allocate() ??
        '',
      imagePresent: (image) => images.has(image) || (booting && pullImage(image).ok),
      memory,
      // Asked by several rows of one evaluation: looked up once.
      attachError: () =>
        (attachError ??= {
          message: multiAttachError(pod, this.pods.objects.values(), claimLookup(this.client)),
        }).message,
    };
  }

  /** Choose the pod's next stage and schedule it, replacing whatever was pending. */
  private evaluate(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? '';
    const nodeName = specOf(pod).nodeName ?? '';
    const node = this.nodes.get(undefined, nodeName);
    if (!node || !isNodeReady(node)) {
      this.timers.cancel(uid);
      return;
    }
    const context = this.context(pod, node);
    const next = selectStage(POD_STAGES, pod, context, this.random);
    if (!next) {
      this.timers.cancel(uid);
      return;
    }
    this.timers.schedule(uid, next.selection.delayMs(context), () => this.fire(next.stage, uid, pod, node));
  }

  /** The pending stage's time has come: run it on the pod as it is now, if the stage still matches it. */
  private fire(stage: PodStage, uid: string, pod: KubeObject, node: KubeObject): void {
    const current = this.pods.get(pod.metadata.namespace, pod.metadata.name ?? '');
    if (!current || current.metadata.uid !== uid) return;
    const context = this.context(current, node);
    const selection = stage.select(current, context);
    if (!selection) {
      this.evaluate(current);
      return;
    }
    this.apply(current, selection.effect(context), context);
  }

  /** What the effect taught the kubelet: images on the node, failed pulls, that it is stopping the pod. */
  private learn(pod: KubeObject, effect: PodStageEffect, context: PodStageContext): void {
    if (!effect.facts) return;
    const images = this.images.get(context.nodeName);
    for (const image of effect.facts.pulledImages ?? []) images?.add(image);
    const uid = pod.metadata.uid ?? '';
    this.memory.set(uid, remember(this.memory.get(uid) ?? context.memory, effect.facts));
  }

  private apply(pod: KubeObject, effect: PodStageEffect, context: PodStageContext) {
    const source = { component: 'kubelet', host: context.nodeName };
    this.learn(pod, effect, context);
    for (const event of effect.events ?? []) this.recorder.record(pod, source, event);
    try {
      if (effect.delete) {
        this.client.delete(REF.pods, pod.metadata.namespace, pod.metadata.name ?? '', {
          gracePeriodSeconds: 0,
          preconditions: { uid: pod.metadata.uid },
        });
        return;
      }
      if (effect.status) {
        this.client.update(
          REF.pods,
          pod.metadata.namespace,
          { ...pod, status: effect.status },
          { subresource: 'status' },
        );
        return;
      }
    } catch (error) {
      const code = statusCode(error);
      // A newer version of the pod is on its way through the watch: its event re-evaluates.
      if (code === 409 || code === 404) return;
      logger.warn({ err: error, pod: keyOf(pod) }, 'kubelet: status write failed');
      return;
    }
    // Nothing written (e.g. Killing only): the next stage follows from the pod as it stands.
    this.evaluate(pod);
  }
}
