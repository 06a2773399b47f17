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

const REASONS: Record<number, string> = { 200: 'OK', 403: 'Forbidden', 404: 'Not Found', 502: 'Bad Gateway' };
const reply = (status: number, body: string, contentType = 'text/html'): HttpReply => ({
  status,
  reason: REASONS[status] ?? '',
  body,
  contentType,
});

const notFoundPage = (server: string) =>
  `<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;

const badGatewayPage = (server: string) =>
  `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;

/** A client's request through the cluster network: the reply, or why there is none (worded as busybox wget). */
export type Fetched = { kind: 'reply'; reply: HttpReply; ip: string } | { kind: 'error'; message: string };

// A proxy that reaches itself (nginx proxying to its own Service) stops here, as a real one runs out of workers.
const MAX_PROXY_HOPS = 5;

/** Resolves `host` from `namespace`, connects through kube-proxy's rules and sends a GET, as a pod's client does. */
export function fetchFrom(
  insides: ContainerInsides,
  namespace: string,
  host: string,
  port: number,
  path: string,
  hops = 0,
): Fetched {
  const resolved = insides.network.resolve(host, namespace);
  if (!resolved) return { kind: 'error', message: `bad address '${host}'` };
  const ip = resolved.addresses[0] as string;
  const connection = insides.network.connect(ip, port);
  if (connection.kind === 'refused')
    return { kind: 'error', message: `can't connect to remote host (${ip}): Connection refused` };
  if (connection.kind === 'unreachable')
    return { kind: 'error', message: `can't connect to remote host (${ip}): No route to host` };
  const reply = httpGet(connection.destination.pod, connection.destination.port, path || '/', insides, hops);
  if (!reply) return { kind: 'error', message: `can't connect to remote host (${ip}): Connection refused` };
  return { kind: 'reply', reply, ip };
}

/** The upstream of nginx's `location /` in its conf.d files (`proxy_pass http://backend;`), if it proxies. */
function nginxUpstream(pod: KubeObject, containerName: string, insides: ContainerInsides) {
  const fs = insides.reach(pod, containerName)?.fs;
  if (!fs?.isDir('/etc/nginx/conf.d')) return undefined;
  for (const file of fs.list('/etc/nginx/conf.d').filter((f) => f.endsWith('.conf'))) {
    const conf = fs.read(`/etc/nginx/conf.d/${file}`).toString();
    const proxy = /location\s+\/\s*\{[^}]*?\bproxy_pass\s+http:\/\/([^/:;\s]+)(?::(\d+))?([^;\s]*)\s*;/.exec(
      conf,
    );
    if (proxy) return { host: proxy[1] as string, port: Number(proxy[2] ?? 80), prefix: proxy[3] ?? '' };
  }
  return undefined;
}

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
function listeners(pod: KubeObject, insides: ContainerInsides, hops: number): Listener[] {
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
      const serveFiles = files('/usr/share/nginx/html', 'nginx/1.27.5');
      found.push({
        containerName: container.name,
        port: 80,
        serve: (path) => {
          const upstream = nginxUpstream(pod, container.name, insides);
          if (!upstream) return serveFiles(path);
          const namespace = pod.metadata.namespace ?? 'default';
          const fetched =
            hops < MAX_PROXY_HOPS
              ? fetchFrom(
                  insides,
                  namespace,
                  upstream.host,
                  upstream.port,
                  `${upstream.prefix}${path}`,
                  hops + 1,
                )
              : undefined;
          return fetched?.kind === 'reply' ? fetched.reply : reply(502, badGatewayPage('nginx/1.27.5'));
        },
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
  hops = 0,
): HttpReply | undefined {
  const listener = listeners(pod, insides, hops).find((l) => l.port === port);
  if (!listener || !insides.reach(pod, listener.containerName)) return undefined;
  return listener.serve(path || '/');
}
