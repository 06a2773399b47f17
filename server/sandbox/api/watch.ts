// Watch streams: newline-delimited JSON events flushed one by one, Table-wrapped when the client asked for a Table,
// bookmarks when allowed, an ERROR event with 410 Expired when the resourceVersion is too old.
import type { ServerResponse } from 'node:http';
import type { KubeObject, WatchEvent } from '../types.ts';
import { errorStatus } from './errors.ts';
import type { ResourceRequest } from './resources.ts';
import { listOptions, served } from './resources.ts';
import { encodedTable, tableRequest } from './tables/index.ts';
import { queryFlag } from './query-flags.ts';
import { converterFor } from '../conversion/index.ts';
import { encodedJson } from '../store/encoded.ts';

const defaultTimeoutSeconds = 30 * 60;
const bookmarkEveryMs = 15_000;

const lineEnd = Buffer.from('}\n');
/**
 * The last event line made: the store hands one event to every watcher in turn, so all of them send the bytes
 * made for the first, as the apiserver encodes a watch event once for all its watchers.
 */
let lastLine: { type: WatchEvent['type']; object: KubeObject; bytes: Buffer } | undefined;

/** `{"type":…,"object":…}` and a newline, from the object's cached JSON bytes (see store/encoded.ts). */
function eventLine(type: WatchEvent['type'], object: KubeObject): Buffer {
  if (lastLine?.object !== object || lastLine.type !== type) {
    const head = Buffer.from(`{"type":"${type}","object":`);
    lastLine = { type, object, bytes: Buffer.concat([head, encodedJson(object), lineEnd]) };
  }
  return lastLine.bytes;
}

export interface WatchTracker {
  add(end: () => void): () => void;
}

/**
 * A watch's event lines not yet written. As the apiserver's watch handler flushes only once its queue is drained,
 * the lines of one turn of the event loop go out in one write per watch (a create and the scheduler's status update
 * right after it: one TLS record and one syscall instead of two), all watches together in one setImmediate.
 */
interface Outbox {
  lines: (string | Buffer)[];
  res: ServerResponse;
}

const waiting = new Set<Outbox>();
let flushScheduled = false;

function writeOut(outbox: Outbox): void {
  const { lines, res } = outbox;
  if (lines.length === 0) return;
  outbox.lines = [];
  if (res.writableEnded) return;
  res.write(lines.length === 1 ? (lines[0] as string | Buffer) : Buffer.concat(lines.map(asBuffer)));
}

const asBuffer = (line: string | Buffer) => (typeof line === 'string' ? Buffer.from(line) : line);

function flushWaiting(): void {
  flushScheduled = false;
  for (const outbox of waiting) writeOut(outbox);
  waiting.clear();
}

function send(outbox: Outbox, line: string | Buffer): void {
  outbox.lines.push(line);
  waiting.add(outbox);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushWaiting);
}

export function serveWatch(request: ResourceRequest, res: ServerResponse, tracker: WatchTracker): void {
  const { registry, info, ref, path, query, req } = request;
  const options = {
    ...listOptions(info, path, query),
    ...(query.get('resourceVersion') ? { resourceVersion: query.get('resourceVersion') as string } : {}),
    ...(queryFlag(query, 'sendInitialEvents') ? { sendInitialEvents: true } : {}),
  };
  const include = tableRequest(req.headers.accept, query.get('includeObject') ?? undefined);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // Send the headers now: a client waits for them before it reads any event, and a quiet watch has none yet.
  res.flushHeaders();
  req.socket.setNoDelay(true);

  let firstTable = true;
  const converted = converterFor(info) !== undefined;
  const encode = (event: WatchEvent): string | Buffer => {
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') return `${JSON.stringify(event)}\n`;
    if (!include && !converted) return eventLine(event.type, event.object);
    if (!include) return `${JSON.stringify({ type: event.type, object: served(info, event.object) })}\n`;
    const table = encodedTable(info.kind, [event.object], {
      now: Date.now(),
      includeObject: include,
      withColumns: firstTable,
      view: (object) => served(info, object),
    });
    firstTable = false;
    return Buffer.concat([Buffer.from(`{"type":"${event.type}","object":`), table, lineEnd]);
  };

  let ended = false;
  let unsubscribe: () => void = () => {};
  const timers: NodeJS.Timeout[] = [];
  const outbox: Outbox = { lines: [], res };
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    for (const timer of timers) clearInterval(timer);
    untrack();
    // Whatever this watch was sent last (an ERROR event, the events before a timeout) goes out before the end.
    writeOut(outbox);
    waiting.delete(outbox);
    res.end();
  };
  const untrack = tracker.add(end);
  req.on('close', end);

  try {
    unsubscribe = registry.watch(ref, options, (event) => {
      if (ended) return;
      let line: string | Buffer;
      try {
        line = encode(event);
      } catch (error) {
        // An object this watch cannot print ends this watch with an ERROR event, as the apiserver ends a watch it
        // cannot encode; the client re-watches. It must never reach the store's delivery loop.
        send(outbox, `${JSON.stringify({ type: 'ERROR', object: errorStatus(error) })}\n`);
        return end();
      }
      send(outbox, line);
      if (event.type === 'ERROR') end();
    });
  } catch (error) {
    send(outbox, `${JSON.stringify({ type: 'ERROR', object: errorStatus(error) })}\n`);
    end();
    return;
  }

  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? defaultTimeoutSeconds);
  timers.push(setTimeout(end, Math.max(0, timeoutSeconds) * 1000));
  if (queryFlag(query, 'allowWatchBookmarks')) {
    timers.push(
      setInterval(() => {
        const bookmark: KubeObject = {
          apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
          kind: info.kind,
          metadata: { resourceVersion: registry.currentResourceVersion() },
        };
        send(outbox, `${JSON.stringify({ type: 'BOOKMARK', object: bookmark })}\n`);
      }, bookmarkEveryMs),
    );
  }
}
