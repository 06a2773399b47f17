// Keeps the game's view of pods alive: client-node informers, restarted with back-off after any error.
// client-node's informer resumes from its last resourceVersion and relists on 410 by itself, but after any other
// error it stays stopped until start() is called again: this wrapper is what makes it never silently stop.
// client-node 1.4's Watch also drops its own 30 s timeout (it overwrites the abort signal), so a connection that
// dies without a FIN would hang forever while the game reports connected: each watch asks the server to end it
// after a few minutes, and a watchdog restarts an informer that shows no sign of life for longer than that.
import { CoreV1Api, type KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../log.ts';
import type { Clock } from '../../clock.ts';

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
  /**
   * An informer with no watch cycle starting and no event for this long is hung and restarted (default: the
   * longest server-side watch timeout podInformers asks for, plus a minute).
   */
  idleTimeoutMs?: number;
  /**
   * The caller calls checkIdle() every idleTimeoutMs / 4 instead of this watch arming its own timer: one timer then
   * serves the watches of many clusters.
   */
  sharedWatchdog?: boolean;
}

/** The server ends each watch after WATCH_TIMEOUT_SECONDS × (1 + up to WATCH_TIMEOUT_JITTER), as client-go asks. */
export const WATCH_TIMEOUT_SECONDS = 300;
export const WATCH_TIMEOUT_JITTER = 0.2;
export const DEFAULT_IDLE_TIMEOUT_MS = (WATCH_TIMEOUT_SECONDS * (1 + WATCH_TIMEOUT_JITTER) + 60) * 1000;
/** Checked a few times per idle period: a hung watch is noticed within idleTimeout + idleTimeout / 4. */
export const WATCHDOG_CHECKS_PER_IDLE_TIMEOUT = 4;

export interface PodWatch {
  /** Resolves once every informer has listed (or failed once and is retrying). */
  readonly started: Promise<void>;
  readonly connected: boolean;
  readonly reconnectingSince: number | null;
  /** Restarts informers that look healthy but have been silent for longer than any watch cycle lasts. */
  checkIdle(): void;
  stop(): Promise<void>;
}

interface Slot {
  informer: PodInformer;
  healthy: boolean;
  errors: number;
  backoffMs: number;
  timer: unknown;
  /** Last sign of life: a start, a new watch cycle or an event. */
  lastSeen: number;
  /** The watchdog stopped the informer: the abort error its hung request reports is expected, not news. */
  aborting: boolean;
}

export function watchPods(options: PodWatchOptions): PodWatch {
  const { clock, handlers } = options;
  const initialBackoff = options.initialBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const idleTimeout = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const checkEvery = idleTimeout / WATCHDOG_CHECKS_PER_IDLE_TIMEOUT;
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
      slot.lastSeen = clock.now();
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
    const slot: Slot = {
      informer,
      healthy: false,
      errors: 0,
      backoffMs: initialBackoff,
      timer: undefined,
      lastSeen: clock.now(),
      aborting: false,
    };
    const alive = () => {
      slot.lastSeen = clock.now();
    };
    informer.on('add', (pod) => {
      alive();
      if (!stopped) handlers.upsert(pod);
    });
    informer.on('update', (pod) => {
      alive();
      if (!stopped) handlers.upsert(pod);
    });
    informer.on('delete', (pod) => {
      alive();
      if (!stopped) handlers.delete(pod);
    });
    // Emitted at the start of every watch cycle, so a quiet cluster still shows life once per server timeout.
    informer.on('connect', alive);
    informer.on('error', (err) => {
      if (slot.aborting && isAbort(err)) {
        slot.aborting = false;
        return;
      }
      failed(slot, err);
    });
    return slot;
  });

  const checkIdle = () => {
    if (stopped) return;
    const now = clock.now();
    for (const slot of slots) {
      if (!slot.healthy || now - slot.lastSeen <= idleTimeout) continue;
      slot.aborting = true;
      void slot.informer.stop();
      failed(slot, new Error(`no watch cycle or event for ${Math.round((now - slot.lastSeen) / 1000)} s`));
    }
  };
  let watchdog: unknown;
  const watchdogTick = () => {
    watchdog = undefined;
    if (stopped) return;
    checkIdle();
    watchdog = clock.setTimeout(watchdogTick, checkEvery);
  };

  const started = Promise.all(slots.map((slot) => start(slot))).then(() => {
    // A watch of no namespace at all (a namespace room's main cluster) is healthy from the start.
    if (!stopped) report();
    if (!stopped && !options.sharedWatchdog) watchdog = clock.setTimeout(watchdogTick, checkEvery);
  });

  return {
    started,
    get connected() {
      return connected;
    },
    get reconnectingSince() {
      return reconnectingSince;
    },
    checkIdle,
    async stop() {
      stopped = true;
      if (watchdog !== undefined) clock.clearTimeout(watchdog);
      for (const slot of slots) if (slot.timer !== undefined) clock.clearTimeout(slot.timer);
      await Promise.all(slots.map((s) => s.informer.stop()));
    },
  };
}

function isAbort(err: unknown): boolean {
  return (err as { name?: unknown } | undefined)?.name === 'AbortError';
}

/**
 * The watch path of an informer: client-node's Watch keeps the path's query and adds its own parameters, so the
 * server-side timeout rides along. Jittered so informers (and game servers) do not all reconnect at once.
 */
export function watchPath(path: string, random: () => number): string {
  const seconds = Math.floor(WATCH_TIMEOUT_SECONDS * (1 + WATCH_TIMEOUT_JITTER * random()));
  return `${path}?timeoutSeconds=${seconds}`;
}

/** One client-node informer per watched namespace (one for all namespaces without a list; none for an empty list). */
export function podInformers(
  kubeConfig: KubeConfig,
  selector: string,
  namespaces?: string[],
  random: () => number = Math.random,
): PodInformer[] {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  if (!namespaces) {
    return [
      makeInformer(
        kubeConfig,
        watchPath('/api/v1/pods', random),
        () => core.listPodForAllNamespaces({ labelSelector: selector }),
        selector,
      ),
    ];
  }
  return namespaces.map((namespace) =>
    makeInformer(
      kubeConfig,
      watchPath(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, random),
      () => core.listNamespacedPod({ namespace, labelSelector: selector }),
      selector,
    ),
  );
}
