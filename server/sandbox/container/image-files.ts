// The few files of an image's root file system that workshops look at: /etc/hostname, /etc/hosts, /etc/resolv.conf
// with the cluster's search path, /etc/os-release, and the web servers' document roots.
import type { KubeObject } from '../types.ts';
import { type DirNode, dir, file, placeNode } from './filesystem.ts';

export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const HTTPD_INDEX = '<html><body><h1>It works!</h1></body></html>\n';

/** Images built on busybox (no bash; `ps` and the prompt as busybox prints them). */
export const BUSYBOX_IMAGES = new Set(['busybox', 'alpine', 'http-echo', 'etcd']);

const OS_RELEASE: Record<string, string> = {
  alpine: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME="Alpine Linux v3.21"\n',
  debian:
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
};

const put = (root: DirNode, path: string, content: string, now: number) =>
  placeNode(root, path, file(content, now), now);

const mkdirs = (root: DirNode, paths: string[], now: number) => {
  for (const path of paths) placeNode(root, path, dir(now, path === '/tmp' ? 0o1777 : 0o755), now);
};

export interface ImageFilesInput {
  pod: KubeObject;
  image: string;
  hostname: string;
  dnsServer: string;
  searchDomains: string[];
  now: number;
}

export function imageRoot({ pod, image, hostname, dnsServer, searchDomains, now }: ImageFilesInput): DirNode {
  const root = dir(now);
  mkdirs(
    root,
    [
      '/bin',
      '/dev',
      '/etc',
      '/home',
      '/proc',
      '/root',
      '/sys',
      '/tmp',
      '/usr/bin',
      '/usr/local/bin',
      '/var/log',
    ],
    now,
  );
  const podIP = (pod.status as { podIP?: string } | undefined)?.podIP ?? '';
  const subdomain = (pod.spec as { subdomain?: string }).subdomain;
  const namespace = pod.metadata.namespace ?? 'default';
  const fqdn = subdomain ? `${hostname}.${subdomain}.${namespace}.svc.cluster.local\t${hostname}` : hostname;
  put(root, '/etc/hostname', `${hostname}\n`, now);
  put(
    root,
    '/etc/hosts',
    `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${podIP}\t${fqdn}\n`,
    now,
  );
  put(
    root,
    '/etc/resolv.conf',
    `search ${searchDomains.join(' ')}\nnameserver ${dnsServer}\noptions ndots:5\n`,
    now,
  );
  put(root, '/etc/os-release', OS_RELEASE[BUSYBOX_IMAGES.has(image) ? 'alpine' : 'debian'] ?? '', now);
  put(
    root,
    '/etc/passwd',
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
    now,
  );
  if (image === 'nginx' || image === 'nginx-slim') {
    put(root, '/usr/share/nginx/html/index.html', NGINX_WELCOME, now);
    put(
      root,
      '/usr/share/nginx/html/50x.html',
      '<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n',
      now,
    );
    put(
      root,
      '/etc/nginx/conf.d/default.conf',
      'server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n',
      now,
    );
    mkdirs(root, ['/var/log/nginx', '/var/cache/nginx'], now);
  }
  if (image === 'httpd') put(root, '/usr/local/apache2/htdocs/index.html', HTTPD_INDEX, now);
  // kubeadm's etcd member keeps its data in /var/lib/etcd (a hostPath of the control-plane node).
  if (image === 'etcd') mkdirs(root, ['/var/lib/etcd/member/snap', '/var/lib/etcd/member/wal'], now);
  return root;
}
