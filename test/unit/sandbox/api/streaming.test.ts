// The stream framings on a socket pair: WebSocket (masked client frames, fragments, ping, close) with the channel
// protocol, and SPDY/3.1 (compressed SYN_STREAM headers, SYN_REPLY, DATA with FIN, PING).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { constants, createDeflate, createInflate } from 'node:zlib';
import { test } from 'node:test';
import { channelSession } from '../../../../server/sandbox/api/streaming/channels.ts';
import { SPDY_DICTIONARY, spdyConnection } from '../../../../server/sandbox/api/streaming/spdy.ts';
import { acceptWebSocket } from '../../../../server/sandbox/api/streaming/websocket.ts';

/** Two connected in-memory sockets: what one writes the other reads. */
function socketPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const end = (other: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk, _encoding, done) {
        other().push(chunk);
        done();
      },
    });
  ends.push(
    end(() => ends[1] as Duplex),
    end(() => ends[0] as Duplex),
  );
  return [ends[0] as Duplex, ends[1] as Duplex];
}

function maskedFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]), mask, masked]);
}

const received = (socket: Duplex) => {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks);
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('WebSocket: handshake, fragmented stdin, ping, and the status on channel 3', async () => {
  const [server, client] = socketPair();
  const read = received(client);
  const req = { headers: { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } } as unknown as IncomingMessage;
  const session = channelSession(acceptWebSocket(req, server, Buffer.alloc(0), 'v5.channel.k8s.io'));
  const stdin: string[] = [];
  let ended = false;
  session.onStdin((data) => stdin.push(data.toString()));
  session.onStdinEnd(() => (ended = true));
  client.write(maskedFrame(0x2, Buffer.from('\x00he'), false));
  client.write(maskedFrame(0x0, Buffer.from('llo')));
  client.write(maskedFrame(0x9, Buffer.from('p')));
  client.write(maskedFrame(0x2, Buffer.from([255, 0])));
  await tick();
  assert.deepEqual(stdin, ['hello']);
  assert.equal(ended, true);
  session.stdout('out');
  session.finish({ metadata: {}, status: 'Success' });
  await tick();
  const bytes = read();
  const text = bytes.toString('latin1');
  assert.match(text, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.match(text, /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/);
  assert.match(text, /Sec-WebSocket-Protocol: v5\.channel\.k8s\.io\r\n/);
  const frames = bytes.subarray(text.indexOf('\r\n\r\n') + 4);
  // pong, stdout on channel 1, status on channel 3, close 1000.
  assert.deepEqual([...frames.subarray(0, 3)], [0x8a, 1, 'p'.charCodeAt(0)]);
  assert.deepEqual([...frames.subarray(3, 9)], [0x82, 4, 1, ...Buffer.from('out')]);
  const status = '{"metadata":{},"status":"Success"}';
  assert.equal(frames[11], 3);
  assert.equal(frames.subarray(12, 12 + status.length).toString(), status);
  assert.deepEqual([...frames.subarray(12 + status.length)], [0x88, 2, 0x03, 0xe8]);
});

/** A client side of SPDY: compressed header blocks in one zlib stream. */
async function synStream(
  deflate: ReturnType<typeof createDeflate>,
  id: number,
  headers: Record<string, string>,
) {
  const entries = Object.entries(headers);
  const block = Buffer.concat([
    Buffer.from([0, 0, 0, entries.length]),
    ...entries.flatMap(([k, v]) => [
      Buffer.from([0, 0, 0, k.length]),
      Buffer.from(k),
      Buffer.from([0, 0, 0, v.length]),
      Buffer.from(v),
    ]),
  ]);
  const compressed = await new Promise<Buffer>((resolve) => {
    const out: Buffer[] = [];
    const take = (chunk: Buffer) => out.push(chunk);
    deflate.on('data', take);
    deflate.write(block);
    deflate.flush(constants.Z_SYNC_FLUSH, () => {
      deflate.off('data', take);
      resolve(Buffer.concat(out));
    });
  });
  const payload = Buffer.concat([Buffer.from([0, 0, 0, id, 0, 0, 0, 0, 0, 0]), compressed]);
  const header = Buffer.from([0x80, 3, 0, 1, 0, 0, 0, 0]);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test('SPDY: streams open with compressed headers, get SYN_REPLY, carry DATA and FIN; PING is echoed', async () => {
  const [server, client] = socketPair();
  const read = received(client);
  const connection = spdyConnection(server, Buffer.alloc(0));
  const opened: { type: string; data: string[]; ended: boolean }[] = [];
  connection.onStream((stream) => {
    const entry = { type: stream.headers.streamtype ?? '', data: [] as string[], ended: false };
    opened.push(entry);
    stream.onData((d) => entry.data.push(d.toString()));
    stream.onEnd(() => (entry.ended = true));
    if (entry.type === 'stdout') {
      stream.write('hi');
      stream.end();
    }
  });
  const deflate = createDeflate({ dictionary: SPDY_DICTIONARY });
  client.write(await synStream(deflate, 1, { streamtype: 'stdin' }));
  client.write(await synStream(deflate, 3, { streamtype: 'stdout' }));
  client.write(Buffer.from([0, 0, 0, 1, 1, 0, 0, 2, ...Buffer.from('ab')]));
  client.write(Buffer.from([0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 7]));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(opened, [
    { type: 'stdin', data: ['ab'], ended: true },
    { type: 'stdout', data: [], ended: false },
  ]);
  const bytes = read();
  // Two SYN_REPLYs (type 2) whose headers inflate to an empty block, DATA "hi" and FIN on stream 3, the PING.
  const inflate = createInflate({ dictionary: SPDY_DICTIONARY });
  const frames: { control: boolean; type: number; flags: number; payload: Buffer }[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = bytes.readUInt32BE(at + 4) & 0xffffff;
    frames.push({
      control: ((bytes[at] as number) & 0x80) !== 0,
      type: bytes.readUInt16BE(at + 2),
      flags: bytes[at + 4] as number,
      payload: bytes.subarray(at + 8, at + 8 + length),
    });
    at += 8 + length;
  }
  assert.deepEqual(
    frames.map((f) => [f.control, f.control ? f.type : f.payload.toString(), f.flags]),
    [
      [true, 2, 0],
      [true, 2, 0],
      [false, 'hi', 0],
      [false, '', 1],
      [true, 6, 0],
    ],
  );
  const headers = await new Promise<Buffer>((resolve) => {
    const out: Buffer[] = [];
    inflate.on('data', (chunk: Buffer) => out.push(chunk));
    inflate.write(frames[0]?.payload.subarray(4));
    inflate.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(out)));
  });
  assert.deepEqual([...headers], [0, 0, 0, 0]);
});
