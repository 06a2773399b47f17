import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export const sandboxContextName = 'kubewars-sandbox';

/** Writes a kubeconfig whose cluster, user and context are all named kubewars-sandbox; readable by its owner only. */
export function writeSandboxKubeconfig(
  path: string,
  server: string,
  token: string,
  namespace = 'default',
): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: sandboxContextName, cluster: { server } }],
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
