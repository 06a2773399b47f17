import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';

export const sandboxContextName = 'kubewars-sandbox';

export interface KubeconfigFields {
  server: string;
  /** PEM of the CA the server's certificate comes from. */
  caCert: string;
  token: string;
  /** The name of the cluster, the user and the context alike. */
  contextName: string;
  namespace?: string;
}

/** A kubeconfig YAML with one cluster, one user (a bearer token) and one context, all named contextName. */
export function kubeconfigYaml(fields: KubeconfigFields): string {
  const { contextName } = fields;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: contextName,
        cluster: {
          server: fields.server,
          'certificate-authority-data': Buffer.from(fields.caCert).toString('base64'),
        },
      },
    ],
    users: [{ name: contextName, user: { token: fields.token } }],
    contexts: [
      {
        name: contextName,
        context: { cluster: contextName, user: contextName, namespace: fields.namespace ?? 'default' },
      },
    ],
    'current-context': contextName,
    preferences: {},
  });
}

/** Writes a kubeconfig whose cluster, user and context are all named kubewars-sandbox; readable by its owner only. */
export function writeSandboxKubeconfig(
  path: string,
  server: string,
  caCert: string,
  token: string,
  namespace = 'default',
): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(
    partial,
    kubeconfigYaml({ server, caCert, token, contextName: sandboxContextName, namespace }),
    {
      mode: 0o600,
    },
  );
  renameSync(partial, path);
}

/**
 * The token of a sandbox kubeconfig written earlier at `path`, so that a restarted sandbox keeps accepting the
 * kubeconfigs attendees already copied.
 */
export function previousSandboxToken(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const config = parse(readFileSync(path, 'utf8')) as {
      users?: { name?: string; user?: { token?: unknown } }[];
    };
    const token = config.users?.find((user) => user.name === sandboxContextName)?.user?.token;
    return typeof token === 'string' && token.length >= 16 ? token : undefined;
  } catch {
    return undefined;
  }
}
