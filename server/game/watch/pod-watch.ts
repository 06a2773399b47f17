// Keeps the game's view of pods alive: client-node informers, restarted with back-off after any error.
// client-node's informer resumes from its last resourceVersion and relists on 410 by itself, but after any other
// error it stays stopped until start() is called again: this wrapper is what makes it never silently stop.
import { CoreV1Api, type KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../log.ts';
import type { Clock } from '../../sandbox/types.ts';

/** The part of a client-node informer this wrapper uses (tests feed events through a fake). */
export interface PodInformer {
  on(verb: 'add' | 'update' | 'delete', cb: (pod: V1Pod) => void): void;
  on(verb: 'error' | 'connect', cb: (err?: unknown) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface PodWatchHandlers {
  upsert(pod: V1Pod): void;
  delete(pod: V1Pod): void;
  /** Called when health changes: connected, or the time the watch was first lost. */
  connection(connected: boolean, reconnectingSince: number | null): void;
  /** One restart attempt after an error (a metric). */
  reconnect?(): void;
}

export interface PodWatchOptions {
  informers: PodInformer[];
  clock: Clock;
  handlers: PodWatchHandlers;
  log?: Pick<Logger, 'warn' | 'info'>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface PodWatch {
  /** Resolves once every informer has listed (or failed once and is retrying). */
  readonly started: Promise<void>;
  readonly connected: boolean;
  readonly reconnectingSince: number | null;
  stop(): Promise<void>;
}

interface Slot {
  informer: PodInformer;
  healthy: boolean;
  errors: number;
  backoffMs: number;
  timer: unknown;
}

export function watchPods(options: PodWatchOptions): PodWatch {
  const { clock, handlers } = options;
  const initialBackoff = options.initialBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  let stopped = false;
  let reconnectingSince: number | null = null;
  let connected = false;

  const report = () => {
    const nowConnected = slots.every((s) => s.healthy);
    if (nowConnected === connected) return;
    connected = nowConnected;
    if (connected) reconnectingSince = null;
    handlers.connection(connected, reconnectingSince);
  };

  const start = async (slot: Slot) => {
    const errorsBefore = slot.errors;
    await slot.informer.start().catch((err: unknown) => failed(slot, err));
    if (!stopped && slot.errors === errorsBefore) {
      slot.healthy = true;
      slot.backoffMs = initialBackoff;
      report();
    }
  };

  const failed = (slot: Slot, err: unknown) => {
    if (stopped) return;
    slot.errors++;
    slot.healthy = false;
    if (reconnectingSince === null) reconnectingSince = clock.now();
    if (connected) {
      connected = false;
      handlers.connection(false, reconnectingSince);
    }
    if (slot.timer !== undefined) return;
    const delay = slot.backoffMs;
    slot.backoffMs = Math.min(maxBackoff, slot.backoffMs * 2);
    options.log?.warn(
      { err: err instanceof Error ? err.message : String(err), retryInMs: delay },
      'game pod watch lost; reconnecting',
    );
    slot.timer = clock.setTimeout(() => {
      slot.timer = undefined;
      if (stopped) return;
      handlers.reconnect?.();
      void start(slot);
    }, delay);
  };

  const slots: Slot[] = options.informers.map((informer) => {
    const slot: Slot = { informer, healthy: false, errors: 0, backoffMs: initialBackoff, timer: undefined };
    informer.on('add', (pod) => {
      if (!stopped) handlers.upsert(pod);
    });
    informer.on('update', (pod) => {
      if (!stopped) handlers.upsert(pod);
    });
    informer.on('delete', (pod) => {
      if (!stopped) handlers.delete(pod);
    });
    informer.on('error', (err) => failed(slot, err));
    return slot;
  });

  const started = Promise.all(slots.map((slot) => start(slot))).then(() => undefined);

  return {
    started,
    get connected() {
      return connected;
    },
    get reconnectingSince() {
      return reconnectingSince;
    },
    async stop() {
      stopped = true;
      for (const slot of slots) if (slot.timer !== undefined) clock.clearTimeout(slot.timer);
      await Promise.all(slots.map((s) => s.informer.stop()));
    },
  };
}

/** One client-node informer per watched namespace (one for all namespaces when none are listed). */
export function podInformers(kubeConfig: KubeConfig, selector: string, namespaces?: string[]): PodInformer[] {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  if (!namespaces || namespaces.length === 0) {
    return [
      makeInformer(
        kubeConfig,
        '/api/v1/pods',
        () => core.listPodForAllNamespaces({ labelSelector: selector }),
        selector,
      ),
    ];
  }
  return namespaces.map((namespace) =>
    makeInformer(
      kubeConfig,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      () => core.listNamespacedPod({ namespace, labelSelector: selector }),
      selector,
    ),
  );
}
