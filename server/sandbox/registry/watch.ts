// A watch over one resource: initial ADDED events or a resume from history, then live changes filtered by
// namespace and selectors, turning selector transitions into ADDED/DELETED as the apiserver does.
import { logger } from '../../log.ts';
import { fieldSelectorFields, matchesFieldSelector, parseFieldSelector } from '../query/field-selector.ts';
import { matchesLabelSelector, parseLabelSelector } from '../query/label-selector.ts';
import type { ObjectStore, StoredEvent } from '../store/object-store.ts';
import type { KubeObject, ListOptions, WatchEvent, WatchOptions } from '../types.ts';

export function objectFilter(kind: string, options: ListOptions): (object: KubeObject) => boolean {
  const labels = options.labelSelector ? parseLabelSelector(options.labelSelector) : undefined;
  const fields = options.fieldSelector ? parseFieldSelector(options.fieldSelector) : undefined;
  return (object) =>
    (!options.namespace || object.metadata.namespace === options.namespace) &&
    (!labels || matchesLabelSelector(labels, object.metadata.labels ?? {})) &&
    (!fields || matchesFieldSelector(fields, fieldSelectorFields(kind, object)));
}

function translate(event: StoredEvent, matches: (o: KubeObject) => boolean): WatchEvent | undefined {
  const now = matches(event.object);
  const before = event.previous !== undefined && matches(event.previous);
  if (event.type === 'DELETED') return now || before ? { type: 'DELETED', object: event.object } : undefined;
  if (event.type === 'ADDED' || !event.previous)
    return now ? { type: 'ADDED', object: event.object } : undefined;
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: event.object };
  return before ? { type: 'DELETED', object: event.object } : undefined;
}

export function startWatch(
  store: ObjectStore,
  resourceKey: string,
  kind: string,
  apiVersion: string,
  options: WatchOptions,
  onEvent: (event: WatchEvent) => void,
): () => void {
  const matches = objectFilter(kind, options);
  const fromList =
    !options.resourceVersion || options.resourceVersion === '0' || options.sendInitialEvents === true;
  let lastRv = fromList ? store.resourceVersion : Number(options.resourceVersion);
  const backlog: WatchEvent[] = [];
  if (fromList) {
    const current = store.list(resourceKey, options.namespace || undefined).filter(matches);
    backlog.push(...current.map((object): WatchEvent => ({ type: 'ADDED', object })));
    if (options.sendInitialEvents) {
      backlog.push({
        type: 'BOOKMARK',
        object: {
          apiVersion,
          kind,
          metadata: {
            resourceVersion: String(lastRv),
            annotations: { 'k8s.io/initial-events-end': 'true' },
          },
        },
      });
    }
  } else {
    // Throws Gone synchronously when the history no longer reaches back that far.
    for (const event of store.since(resourceKey, lastRv)) {
      const translated = translate(event, matches);
      if (translated) backlog.push(translated);
    }
    lastRv = store.resourceVersion;
  }
  let open = true;
  let ready = false;
  const early: StoredEvent[] = [];
  const close = () => {
    open = false;
    unsubscribe();
  };
  // Events are delivered in microtasks, where an exception would end the process: a watcher that cannot take an
  // event is told with an ERROR event, as the apiserver ends a watch it cannot serve, and closed.
  const send = (event: WatchEvent) => {
    try {
      onEvent(event);
    } catch (error) {
      close();
      if (event.type !== 'ERROR') fail(error);
    }
  };
  const fail = (error: unknown) => {
    // In-process watchers (controllers, kubelets) ignore ERROR events: say in the log which one stopped and why.
    logger.error({ err: error, resource: resourceKey }, 'a watch failed on an event and was closed');
    const message = `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`;
    send({
      type: 'ERROR',
      object: {
        apiVersion: 'v1',
        kind: 'Status',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'InternalError',
        code: 500,
      } as unknown as KubeObject,
    });
  };
  const deliver = (event: StoredEvent) => {
    if (!open || event.rv <= lastRv) return;
    if (!ready) return void early.push(event);
    lastRv = event.rv;
    let translated: WatchEvent | undefined;
    try {
      translated = translate(event, matches);
    } catch (error) {
      close();
      return fail(error);
    }
    if (translated) send(translated);
  };
  const unsubscribe = store.subscribe({ resourceKey, deliver });
  queueMicrotask(() => {
    for (const event of backlog) if (open) send(event);
    ready = true;
    for (const event of early.splice(0)) deliver(event);
  });
  return close;
}
