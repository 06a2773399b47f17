import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';

export const sandboxContextName = 'kubewars-sandbox';

/** Writes a kubeconfig whose cluster, user and context are all named kubewars-sandbox; readable by its owner only. */
export function writeSandboxKubeconfig(
  path: string,
  server: string,
  caCert: string,
  token: string,
  namespace = 'default',
): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: sandboxContextName,
        cluster: { server, 'certificate-authority-data': Buffer.from(caCert).toString('base64') },
      },
    ],
    users: [{ name: sandboxContextName, user: { token } }],
    contexts: [
      {
        name: sandboxContextName,
        context: { cluster: sandboxContextName, user: sandboxContextName, namespace },
      },
    ],
    'current-context': sandboxContextName,
    preferences: {},
  };
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, stringify(config), { mode: 0o600 });
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
