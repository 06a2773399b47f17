// The sandbox's image catalogue: which references a registry would serve, with stable digests and sizes, and the
// containerd error text for the ones it would not. There is no network: existence is decided by these rules.
import { createHash } from 'node:crypto';

const REGISTRIES = new Set([
  'docker.io',
  'registry-1.docker.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'gcr.io',
  'quay.io',
  'ghcr.io',
  'mcr.microsoft.com',
  'public.ecr.aws',
  'registry.gitlab.com',
]);

// Docker Hub official images (docker.io/library/…) a workshop is likely to name, with a typical size in bytes.
const OFFICIAL: Record<string, number> = {
  nginx: 72_995_883,
  busybox: 2_155_575,
  alpine: 3_623_844,
  ubuntu: 29_754_422,
  debian: 48_494_272,
  centos: 79_650_000,
  fedora: 58_000_000,
  httpd: 58_000_000,
  redis: 45_000_000,
  memcached: 32_000_000,
  mysql: 170_000_000,
  mariadb: 120_000_000,
  postgres: 150_000_000,
  mongo: 260_000_000,
  rabbitmq: 90_000_000,
  node: 390_000_000,
  python: 370_000_000,
  golang: 280_000_000,
  openjdk: 320_000_000,
  eclipse_temurin: 200_000_000,
  perl: 330_000_000,
  ruby: 350_000_000,
  php: 180_000_000,
  wordpress: 250_000_000,
  tomcat: 190_000_000,
  traefik: 45_000_000,
  haproxy: 40_000_000,
  caddy: 18_000_000,
  registry: 10_000_000,
  'hello-world': 9_000,
  elasticsearch: 600_000_000,
  kibana: 700_000_000,
  grafana: 120_000_000,
  influxdb: 110_000_000,
  consul: 60_000_000,
  vault: 70_000_000,
  zookeeper: 120_000_000,
  nats: 8_000_000,
  bash: 6_000_000,
  amazonlinux: 60_000_000,
};

/** Tags that say "this does not exist" in lesson material. */
const MISSING_TAG =
  /^(doesnotexist|does-not-exist|nonexistent|non-existent|notexist|not-exist|invalid|missing|bogus)$/i;

export interface ImageRef {
  /** As the pod spec wrote it. */
  original: string;
  registry: string;
  repository: string;
  tag: string;
  /** Fully qualified, as containerd reports it: docker.io/library/nginx:latest */
  full: string;
}

export function parseImage(image: string): ImageRef {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const firstSlash = rest.indexOf('/');
  const head = firstSlash >= 0 ? rest.slice(0, firstSlash) : '';
  const hasRegistry = firstSlash >= 0 && (head.includes('.') || head.includes(':') || head === 'localhost');
  const registry = hasRegistry ? head : 'docker.io';
  let path = hasRegistry ? rest.slice(firstSlash + 1) : rest;
  let tag = 'latest';
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  const repository = registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  const full = digest ? `${registry}/${repository}@${digest}` : `${registry}/${repository}:${tag}`;
  return { original: image, registry, repository, tag, full };
}

export type PullResult =
  { ok: true; imageID: string; size: number } | { ok: false; reason: string; message: string };

function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Whether a pull of `image` succeeds in the sandbox, with containerd's words when it does not. */
export function pullImage(image: string): PullResult {
  if (!image || image !== image.trim() || /[A-Z]/.test(image.split('/').slice(-1)[0]?.split(':')[0] ?? '')) {
    return {
      ok: false,
      reason: 'InvalidImageName',
      message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format: repository name (library/${image}) must be lowercase`,
    };
  }
  const ref = parseImage(image);
  const fail = (detail: string) =>
    ({
      ok: false,
      reason: 'ErrImagePull',
      message: `rpc error: code = NotFound desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": ${detail}`,
    }) as const;
  if (!REGISTRIES.has(ref.registry)) {
    const host = ref.registry;
    return {
      ok: false,
      reason: 'ErrImagePull',
      message: `rpc error: code = Unknown desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": failed to do request: Head "https://${host}/v2/${ref.repository}/manifests/${ref.tag}": dial tcp: lookup ${host.split(':')[0]}: no such host`,
    };
  }
  const official = ref.repository.startsWith('library/')
    ? ref.repository.slice('library/'.length)
    : undefined;
  if (official !== undefined && OFFICIAL[official] === undefined) {
    return fail(
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  }
  if (MISSING_TAG.test(ref.tag)) return fail(`${ref.full}: not found`);
  const repositoryName = ref.full.slice(0, ref.full.length - ref.tag.length - 1);
  return {
    ok: true,
    imageID: `${ref.full.includes('@') ? ref.full.split('@')[0] : repositoryName}@${digestOf(ref.full)}`,
    size:
      (official !== undefined ? OFFICIAL[official] : undefined) ??
      50_000_000 + (parseInt(digestOf(image).slice(7, 13), 16) % 100_000_000),
  };
}
