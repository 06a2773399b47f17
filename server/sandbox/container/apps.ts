// The web servers the well-known images run, answering an HTTP GET as their real selves: nginx and httpd serve
// files from their document root (so a mounted ConfigMap replaces the welcome page), http-echo prints its -text,
// hello-world pages name the pod. A port nothing listens on refuses the connection.
import type { KubeObject } from '../types.ts';
import { specOf } from '../pod/spec.ts';
import { imageName } from '../kubelet/programs.ts';
import { normalizePath } from './filesystem.ts';
import type { ContainerInsides } from './inside.ts';

export interface HttpReply {
  status: number;
  reason: string;
  body: string;
  contentType: string;
}

const REASONS: Record<number, string> = { 200: 'OK', 403: 'Forbidden', 404: 'Not Found' };
const reply = (status: number, body: string, contentType = 'text/html'): HttpReply => ({
  status,
  reason: REASONS[status] ?? '',
  body,
  contentType,
});

const notFoundPage = (server: string) =>
  `<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;

interface Listener {
  containerName: string;
  port: number;
  serve(path: string): HttpReply;
}

const argValue = (words: string[], flag: string) => {
  const found = words.find((w) => w.startsWith(`-${flag}=`) || w.startsWith(`--${flag}=`));
  return found?.slice(found.indexOf('=') + 1);
};

/** The HTTP servers a pod's containers run. */
function listeners(pod: KubeObject, insides: ContainerInsides): Listener[] {
  const found: Listener[] = [];
  for (const container of specOf(pod).containers ?? []) {
    const image = imageName(container.image);
    const words = [...(container.command ?? []), ...(container.args ?? [])];
    const declared = ((container as { ports?: { containerPort: number }[] }).ports ?? []).map(
      (p) => p.containerPort,
    );
    const files = (root: string, server: string) => (path: string) => {
      const fs = insides.reach(pod, container.name)?.fs;
      let target = normalizePath(path.split('?')[0] ?? '/', root === '/' ? '/' : '/');
      target = normalizePath(`.${target}`, root);
      if (fs?.isDir(target)) target = normalizePath('index.html', target);
      const node = fs?.lookup(target);
      if (!node || node.type !== 'file') return reply(404, notFoundPage(server));
      return reply(200, node.data.toString(), target.endsWith('.html') ? 'text/html' : 'text/plain');
    };
    if ((image === 'nginx' || image === 'nginx-slim') && !words.length) {
      found.push({
        containerName: container.name,
        port: 80,
        serve: files('/usr/share/nginx/html', 'nginx/1.27.5'),
      });
    } else if (image === 'httpd' && !words.length) {
      found.push({
        containerName: container.name,
        port: 80,
        serve: files('/usr/local/apache2/htdocs', 'Apache/2.4.63'),
      });
    } else if (image === 'http-echo') {
      const port = Number((argValue(words, 'listen') ?? ':5678').split(':').pop());
      const text = argValue(words, 'text') ?? 'hello-world';
      found.push({ containerName: container.name, port, serve: () => reply(200, `${text}\n`, 'text/plain') });
    } else if (image === 'hello-world' && (container.image ?? '').includes('tutum/')) {
      found.push({
        containerName: container.name,
        port: 80,
        serve: () =>
          reply(
            200,
            `<html><head><title>Hello world!</title></head><body><h1>Hello world!</h1><h3>My hostname is ${pod.metadata.name}</h3></body></html>\n`,
          ),
      });
    } else if (image === 'hello-app') {
      const version = /:(\d+)\.(\d+)/.exec(container.image ?? '');
      found.push({
        containerName: container.name,
        port: 8080,
        serve: () =>
          reply(
            200,
            `Hello, world!\nVersion: ${version ? `${version[1]}.${version[2]}.0` : '1.0.0'}\nHostname: ${pod.metadata.name}\n`,
            'text/plain',
          ),
      });
    } else {
      // Another image's server: it answers on the ports it declares, naming itself.
      for (const port of declared)
        found.push({
          containerName: container.name,
          port,
          serve: (path) =>
            reply(
              200,
              `${container.image} on ${pod.metadata.name}:${port} answered GET ${path}\n`,
              'text/plain',
            ),
        });
    }
  }
  return found;
}

/** A GET to `pod` on `port`: the reply, or undefined when nothing listens there (connection refused). */
export function httpGet(
  pod: KubeObject,
  port: number,
  path: string,
  insides: ContainerInsides,
): HttpReply | undefined {
  const listener = listeners(pod, insides).find((l) => l.port === port);
  if (!listener || !insides.reach(pod, listener.containerName)) return undefined;
  return listener.serve(path || '/');
}
