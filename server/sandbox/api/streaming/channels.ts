// Kubernetes' channel protocol over WebSocket (v4.channel.k8s.io, v5.channel.k8s.io): each binary message starts
// with its channel byte — 0 stdin, 1 stdout, 2 stderr, 3 error (the final Status), 4 resize — and v5 adds
// channel 255 for "this stream is closed" (kubectl sends it when its stdin ends).
import type { WebSocketConnection } from './websocket.ts';
import type { StreamSession } from './session.ts';

export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export function channelSession(connection: WebSocketConnection): StreamSession {
  const stdinListeners: ((data: Buffer) => void)[] = [];
  const stdinEndListeners: (() => void)[] = [];
  const resizeListeners: ((size: { width: number; height: number }) => void)[] = [];
  const goneListeners: (() => void)[] = [];
  let stdinEnded = false;
  const endStdin = () => {
    if (stdinEnded) return;
    stdinEnded = true;
    for (const listener of stdinEndListeners) listener();
  };
  connection.onMessage((message) => {
    if (!message.length) return;
    const channel = message[0];
    const payload = message.subarray(1);
    if (channel === STDIN && payload.length) for (const listener of stdinListeners) listener(payload);
    else if (channel === RESIZE) {
      try {
        const size = JSON.parse(payload.toString()) as { Width?: number; Height?: number };
        for (const listener of resizeListeners)
          listener({ width: size.Width ?? 80, height: size.Height ?? 24 });
      } catch {
        // A malformed resize is ignored, as the kubelet ignores it.
      }
    } else if (channel === CLOSE && payload[0] === STDIN) endStdin();
  });
  connection.onClose(() => {
    endStdin();
    for (const listener of goneListeners) listener();
  });
  const send = (channel: number, data: string | Buffer) =>
    connection.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
  return {
    stdout: (data) => send(STDOUT, data),
    stderr: (data) => send(STDERR, data),
    onStdin: (listener) => void stdinListeners.push(listener),
    onStdinEnd: (listener) => void stdinEndListeners.push(listener),
    onResize: (listener) => void resizeListeners.push(listener),
    onGone: (listener) => void goneListeners.push(listener),
    finish: (status) => {
      send(ERROR, JSON.stringify(status));
      connection.close();
    },
  };
}
