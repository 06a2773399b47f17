// The server side of RFC 6455 on an upgraded socket, as much as Kubernetes' stream protocols use: binary and text
// messages (fragmented or not), ping/pong and close. Client frames are masked; the server's are not.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
/** A kubectl cp of a large file arrives in many frames; one message larger than this is a broken client. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface WebSocketConnection {
  readonly protocol: string;
  send(data: Buffer): void;
  /** Sends a close frame and ends the socket once it is written. */
  close(code?: number): void;
  onMessage(listener: (data: Buffer) => void): void;
  /** Called once, when the peer closes or the socket goes away. */
  onClose(listener: () => void): void;
}

export const isWebSocketUpgrade = (req: IncomingMessage) =>
  (req.headers.upgrade ?? '').toLowerCase() === 'websocket';

/** The protocols the client offers, in its order of preference. */
export const offeredProtocols = (req: IncomingMessage): string[] =>
  String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = length;
  else if (length < 0x10000) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Completes the handshake with `protocol` (one the client offered) and returns the open connection. */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocol: string,
): WebSocketConnection {
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  socket.write(
    [
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Accept: ${accept}`,
      ...(protocol ? [`Sec-WebSocket-Protocol: ${protocol}`] : []),
      '',
      '',
    ].join('\r\n'),
  );
  (socket as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);

  const messageListeners: ((data: Buffer) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let closed = false;
  let buffered: Buffer = head.length ? Buffer.from(head) : Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let fragmentBytes = 0;

  const finish = () => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener();
  };
  const write = (bytes: Buffer) => {
    if (!socket.destroyed && socket.writable) socket.write(bytes);
  };
  const close = (code = 1000) => {
    if (closed) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    write(frame(OP_CLOSE, payload));
    socket.end();
    finish();
  };

  const parse = () => {
    while (buffered.length >= 2) {
      const first = buffered[0] as number;
      const second = buffered[1] as number;
      let offset = 2;
      let length = second & 0x7f;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (second & 0x80) !== 0;
      if (length > MAX_MESSAGE_BYTES) return close(1009);
      const maskOffset = offset;
      if (masked) offset += 4;
      if (buffered.length < offset + length) return;
      const payload = Buffer.from(buffered.subarray(offset, offset + length));
      if (masked) {
        for (let i = 0; i < payload.length; i++) {
          payload[i] = (payload[i] as number) ^ (buffered[maskOffset + (i % 4)] as number);
        }
      }
      buffered = buffered.subarray(offset + length);
      const fin = (first & 0x80) !== 0;
      const opcode = first & 0x0f;
      switch (opcode) {
        case OP_TEXT:
        case OP_BINARY:
        case OP_CONTINUATION:
          fragments.push(payload);
          fragmentBytes += payload.length;
          if (fragmentBytes > MAX_MESSAGE_BYTES) return close(1009);
          if (fin) {
            const message = Buffer.concat(fragments);
            fragments = [];
            fragmentBytes = 0;
            for (const listener of messageListeners) listener(message);
          }
          break;
        case OP_PING:
          write(frame(OP_PONG, payload));
          break;
        case OP_PONG:
          break;
        case OP_CLOSE:
          return close();
        default:
          return close(1002);
      }
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    parse();
  });
  socket.on('close', finish);
  socket.on('error', finish);
  // Bytes that arrived with the upgrade request are parsed once listeners are attached.
  setImmediate(parse);

  return {
    protocol,
    send: (data) => {
      if (!closed) write(frame(OP_BINARY, data));
    },
    close,
    onMessage: (listener) => void messageListeners.push(listener),
    onClose: (listener) => void closeListeners.push(listener),
  };
}

/** Refuses an upgrade with a plain HTTP answer: the client falls back to its next protocol (SPDY). */
export function refuseUpgrade(socket: Duplex, code: number, reason: string, body: string): void {
  socket.end(
    [
      `HTTP/1.1 ${code} ${reason}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

/** The connection's binary messages as a byte stream (port-forward tunnels SPDY through them). */
export function webSocketStream(connection: WebSocketConnection): Duplex {
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      connection.send(chunk);
      done();
    },
    final(done) {
      connection.close();
      done();
    },
  });
  connection.onMessage((data) => stream.push(data));
  connection.onClose(() => {
    stream.push(null);
    stream.destroy();
  });
  return stream;
}
