// Exec and attach over SPDY (v4.channel.k8s.io): the client opens one stream per channel, named by its
// `streamtype` header (error, stdin, stdout, stderr, resize); like the kubelet, the session starts once every
// stream the request asked for is open, and ends with the Status on the error stream and FIN on every stream.
import type { SpdyConnection, SpdyStream } from './spdy.ts';
import type { StreamSession } from './session.ts';
import type { ExecRequest } from './exec.ts';

/** Streams a request implies: error always, then stdin, stdout, stderr (not with a tty), resize (with a tty). */
export function expectedStreams(request: Omit<ExecRequest, 'argv'>): string[] {
  return [
    'error',
    ...(request.stdin ? ['stdin'] : []),
    ...(request.stdout ? ['stdout'] : []),
    ...(request.stderr && !request.tty ? ['stderr'] : []),
    ...(request.tty ? ['resize'] : []),
  ];
}

const STREAMS_TIMEOUT_MS = 30_000;

/** Resolves with the session once the expected streams are open; undefined if the client gives up first. */
export function spdySession(
  connection: SpdyConnection,
  expected: string[],
): Promise<StreamSession | undefined> {
  return new Promise((resolve) => {
    const streams = new Map<string, SpdyStream>();
    const goneListeners: (() => void)[] = [];
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      connection.close();
      resolve(undefined);
    }, STREAMS_TIMEOUT_MS);
    connection.onClose(() => {
      for (const listener of goneListeners) listener();
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(undefined);
    });
    connection.onStream((stream) => {
      streams.set(stream.headers.streamtype ?? '', stream);
      if (done || !expected.every((type) => streams.has(type))) return;
      done = true;
      clearTimeout(timer);
      const resizeBuffer: string[] = [];
      const resizeListeners: ((size: { width: number; height: number }) => void)[] = [];
      streams.get('resize')?.onData((data) => {
        // One JSON object per line, as Go's json.Encoder writes them.
        resizeBuffer.push(data.toString());
        const lines = resizeBuffer.join('').split('\n');
        resizeBuffer.length = 0;
        resizeBuffer.push(lines.pop() ?? '');
        for (const line of lines.filter(Boolean)) {
          try {
            const size = JSON.parse(line) as { Width?: number; Height?: number };
            for (const listener of resizeListeners)
              listener({ width: size.Width ?? 80, height: size.Height ?? 24 });
          } catch {
            // A malformed resize is ignored, as the kubelet ignores it.
          }
        }
      });
      resolve({
        stdout: (data) => streams.get('stdout')?.write(data),
        stderr: (data) => streams.get('stderr')?.write(data),
        onStdin: (listener) => streams.get('stdin')?.onData(listener),
        onStdinEnd: (listener) => streams.get('stdin')?.onEnd(listener),
        onResize: (listener) => void resizeListeners.push(listener),
        onGone: (listener) => void goneListeners.push(listener),
        finish: (status) => {
          const error = streams.get('error');
          error?.write(JSON.stringify(status));
          for (const stream of streams.values()) stream.end();
          connection.close();
        },
      });
    });
  });
}
