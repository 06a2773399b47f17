// The server side of SPDY/3.1 framing as Kubernetes clients use it (kubectl ≤ 1.29 and every client that falls back
// from WebSocket): the client opens streams with SYN_STREAM, the server answers SYN_REPLY, both send DATA frames and
// end their half with FIN. Header blocks are zlib-compressed with SPDY/3's dictionary, one zlib stream per direction
// for the whole connection. No npm package maintains SPDY framing today (node-spdy, unmaintained, is a whole HTTP
// server), so this is the minimal framing: no flow control, which Go's spdystream does not enforce either.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import type { Duplex } from 'node:stream';

const VERSION = 3;
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const PING = 6;
const GOAWAY = 7;
const FLAG_FIN = 0x01;

/** SPDY/3's header compression dictionary (draft 3, section 2.6.10.1): length-prefixed words, then a tail. */
const DICTIONARY_WORDS = (
  'options head post put delete trace accept accept-charset accept-encoding accept-language accept-ranges age ' +
  'allow authorization cache-control connection content-base content-encoding content-language content-length ' +
  'content-location content-md5 content-range content-type date etag expect expires from host if-match ' +
  'if-modified-since if-none-match if-range if-unmodified-since last-modified location max-forwards pragma ' +
  'proxy-authenticate proxy-authorization range referer retry-after server te trailer transfer-encoding upgrade ' +
  'user-agent vary via warning www-authenticate method get status 200_OK version HTTP/1.1 url public set-cookie ' +
  'keep-alive origin'
)
  .split(' ')
  .map((word) => word.replace('_', ' '));
const DICTIONARY_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
export const SPDY_DICTIONARY = Buffer.concat([
  ...DICTIONARY_WORDS.flatMap((word) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(word.length);
    return [length, Buffer.from(word)];
  }),
  Buffer.from(DICTIONARY_TAIL),
]);

export type Headers = Record<string, string>;

export interface SpdyStream {
  id: number;
  headers: Headers;
  onData(listener: (data: Buffer) => void): void;
  /** The client closed its half (FIN) or reset the stream. */
  onEnd(listener: () => void): void;
  write(data: string | Buffer): void;
  /** Closes the server's half. */
  end(): void;
}

export interface SpdyConnection {
  onStream(listener: (stream: SpdyStream) => void): void;
  onClose(listener: () => void): void;
  /** Ends the connection once everything queued is written. */
  close(): void;
}

function encodeHeaders(headers: Headers): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(headers);
  parts.push(u32(entries.length));
  for (const [name, value] of entries) {
    parts.push(
      u32(Buffer.byteLength(name)),
      Buffer.from(name),
      u32(Buffer.byteLength(value)),
      Buffer.from(value),
    );
  }
  return Buffer.concat(parts);
}

function decodeHeaders(block: Buffer): Headers {
  const headers: Headers = {};
  let at = 4;
  const count = block.readUInt32BE(0);
  for (let i = 0; i < count; i++) {
    const nameLength = block.readUInt32BE(at);
    const name = block.subarray(at + 4, at + 4 + nameLength).toString();
    at += 4 + nameLength;
    const valueLength = block.readUInt32BE(at);
    headers[name] = block.subarray(at + 4, at + 4 + valueLength).toString();
    at += 4 + valueLength;
  }
  return headers;
}

/** Feeds `input` through a long-lived zlib stream and returns what a sync flush yields. */
function syncFlush(zlib: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const collect = (chunk: Buffer) => out.push(chunk);
    zlib.on('data', collect);
    zlib.once('error', reject);
    zlib.write(input);
    zlib.flush(constants.Z_SYNC_FLUSH, () => {
      zlib.off('data', collect);
      zlib.off('error', reject);
      resolve(Buffer.concat(out));
    });
  });
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(0x8000 | VERSION, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([header, payload]);
}

function dataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(streamId & 0x7fffffff, 0);
  header.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([header, payload]);
}

const MAX_DATA = 0xffffff;

/** Speaks SPDY/3.1 on a socket whose 101 Switching Protocols answer has been written. */
export function spdyConnection(socket: Duplex, head: Buffer): SpdyConnection {
  const deflate = createDeflate({ dictionary: SPDY_DICTIONARY, level: 9 });
  const inflate = createInflate({ dictionary: SPDY_DICTIONARY });
  const streams = new Map<
    number,
    { stream: SpdyStream; data: ((d: Buffer) => void)[]; end: (() => void)[] }
  >();
  const streamListeners: ((stream: SpdyStream) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let closed = false;
  // Frames go out in order; a SYN_REPLY waits for its compressed headers, so every write goes through one queue.
  let outgoing: Promise<void> = Promise.resolve();
  const send = (make: () => Buffer | Promise<Buffer>) => {
    outgoing = outgoing
      .then(async () => {
        const bytes = await make();
        if (!closed && socket.writable) socket.write(bytes);
      })
      .catch(() => finish());
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    deflate.close();
    inflate.close();
    for (const entry of streams.values()) for (const listener of entry.end) listener();
    for (const listener of closeListeners) listener();
  };

  const openStream = (id: number, headers: Headers, fin: boolean) => {
    const entry = {
      data: [] as ((d: Buffer) => void)[],
      end: [] as (() => void)[],
      stream: undefined as unknown as SpdyStream,
    };
    let ended = false;
    entry.stream = {
      id,
      headers,
      onData: (listener) => void entry.data.push(listener),
      onEnd: (listener) => void entry.end.push(listener),
      write: (data) => {
        const bytes = Buffer.from(data);
        for (let at = 0; at < bytes.length; at += MAX_DATA) {
          const chunk = bytes.subarray(at, at + MAX_DATA);
          send(() => dataFrame(id, 0, chunk));
        }
      },
      end: () => {
        if (ended) return;
        ended = true;
        send(() => dataFrame(id, FLAG_FIN, Buffer.alloc(0)));
      },
    };
    streams.set(id, entry);
    send(async () => {
      const id32 = Buffer.alloc(4);
      id32.writeUInt32BE(id);
      return controlFrame(SYN_REPLY, 0, Buffer.concat([id32, await syncFlush(deflate, encodeHeaders({}))]));
    });
    for (const listener of streamListeners) listener(entry.stream);
    if (fin) for (const listener of entry.end) listener();
  };

  // Incoming frames are handled one at a time: a SYN_STREAM's headers must be inflated before the next frame.
  let incoming: Promise<void> = Promise.resolve();
  const handle = (frame: Buffer) => {
    incoming = incoming
      .then(async () => {
        const first = frame.readUInt32BE(0);
        const flags = frame[4] as number;
        const payload = frame.subarray(8);
        if (!(first & 0x80000000)) {
          const entry = streams.get(first & 0x7fffffff);
          if (!entry) return;
          if (payload.length) for (const listener of entry.data) listener(payload);
          if (flags & FLAG_FIN) for (const listener of entry.end) listener();
          return;
        }
        const type = first & 0xffff;
        if (type === SYN_STREAM) {
          const id = payload.readUInt32BE(0) & 0x7fffffff;
          const headers = decodeHeaders(await syncFlush(inflate, payload.subarray(10)));
          openStream(id, headers, (flags & FLAG_FIN) !== 0);
        } else if (type === RST_STREAM) {
          const entry = streams.get(payload.readUInt32BE(0) & 0x7fffffff);
          for (const listener of entry?.end ?? []) listener();
        } else if (type === PING) {
          send(() => controlFrame(PING, 0, Buffer.from(payload)));
        } else if (type === GOAWAY) {
          socket.end();
        }
      })
      .catch(() => {
        socket.destroy();
        finish();
      });
  };

  let buffered: Buffer = Buffer.from(head);
  const parse = () => {
    while (buffered.length >= 8) {
      const length = buffered.readUInt32BE(4) & 0xffffff;
      if (buffered.length < 8 + length) return;
      handle(Buffer.from(buffered.subarray(0, 8 + length)));
      buffered = buffered.subarray(8 + length);
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    parse();
  });
  socket.on('close', finish);
  socket.on('error', finish);
  setImmediate(parse);

  return {
    onStream: (listener) => void streamListeners.push(listener),
    onClose: (listener) => void closeListeners.push(listener),
    close: () => {
      outgoing = outgoing.then(() => {
        socket.end();
      });
    },
  };
}

/** Completes the SPDY upgrade with the chosen X-Stream-Protocol-Version. */
export function acceptSpdy(socket: Duplex, head: Buffer, protocol: string): SpdyConnection {
  socket.write(
    [
      'HTTP/1.1 101 Switching Protocols',
      'Connection: Upgrade',
      'Upgrade: SPDY/3.1',
      `X-Stream-Protocol-Version: ${protocol}`,
      '',
      '',
    ].join('\r\n'),
  );
  (socket as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return spdyConnection(socket, head);
}

/** The protocols a SPDY client offers (X-Stream-Protocol-Version may repeat or hold a list). */
export function offeredStreamProtocols(header: string | string[] | undefined): string[] {
  return (Array.isArray(header) ? header : [header ?? ''])
    .flatMap((value) => value.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
}
