// pods/portforward over SPDY (portforward.k8s.io): for each local connection the client opens an error stream and
// a data stream sharing a requestid and naming the pod's port. The simulated app on that port reads the HTTP
// request from the data stream and answers it; a port nothing listens on gets the kubelet's error message.
import { httpGet } from '../../container/apps.ts';
import type { ContainerInsides } from '../../container/inside.ts';
import type { KubeObject } from '../../types.ts';
import type { SpdyConnection, SpdyStream } from './spdy.ts';

export const PORTFORWARD_PROTOCOL = 'portforward.k8s.io';

/** The request line and where the headers end, once the whole header block has arrived. */
function requestHead(bytes: Buffer): { method: string; path: string } | undefined {
  const text = bytes.toString('latin1');
  if (!text.includes('\r\n\r\n')) return undefined;
  const [method = 'GET', path = '/'] = (text.split('\r\n')[0] ?? '').split(' ');
  return { method, path };
}

function answer(
  stream: SpdyStream,
  pod: KubeObject,
  port: number,
  path: string,
  method: string,
  insides: ContainerInsides,
): boolean {
  const reply = httpGet(pod, port, path, insides);
  if (!reply) return false;
  const body = Buffer.from(method === 'HEAD' ? '' : reply.body);
  stream.write(
    `HTTP/1.1 ${reply.status} ${reply.reason}\r\nContent-Type: ${reply.contentType}\r\nContent-Length: ${Buffer.byteLength(reply.body)}\r\nConnection: close\r\n\r\n`,
  );
  if (body.length) stream.write(body);
  return true;
}

export function servePortForward(
  connection: SpdyConnection,
  pod: () => KubeObject,
  insides: ContainerInsides,
): void {
  const errors = new Map<string, SpdyStream>();
  const pendingData = new Map<string, SpdyStream>();
  const start = (data: SpdyStream, error: SpdyStream) => {
    const port = Number(data.headers.port);
    const chunks: Buffer[] = [];
    let answered = false;
    data.onData((chunk) => {
      if (answered) return;
      chunks.push(chunk);
      const head = requestHead(Buffer.concat(chunks));
      if (!head) return;
      answered = true;
      const current = pod();
      if (!answer(data, current, port, head.path, head.method, insides)) {
        error.write(
          `error forwarding port ${port} to pod ${current.metadata.uid}, uid : failed to connect to localhost:${port} inside the pod: dial tcp4 127.0.0.1:${port}: connect: connection refused`,
        );
      }
      data.end();
      error.end();
    });
    data.onEnd(() => {
      data.end();
      error.end();
    });
  };
  connection.onStream((stream) => {
    const id = stream.headers.requestid ?? '';
    if (stream.headers.streamtype === 'error') {
      errors.set(id, stream);
      const waiting = pendingData.get(id);
      if (waiting) {
        pendingData.delete(id);
        start(waiting, stream);
      }
      return;
    }
    const error = errors.get(id);
    if (error) start(stream, error);
    else pendingData.set(id, stream);
  });
}
