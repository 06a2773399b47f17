// `kubewars cluster kubeconfig --merge`: copies the Vagrant cluster's admin kubeconfig into the user's kubeconfig
// under one context, replacing only entries of that name and leaving everything else as it was.
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { UserError } from '../errors.ts';
import { sandboxContextName } from '../sandbox/api/kubeconfig.ts';

export const MERGED_CONTEXT = 'kubewars-vagrant';
const MERGED_USER = 'kubewars-vagrant-admin';

interface Named {
  name: string;
  [key: string]: unknown;
}

interface KubeconfigDocument {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [key: string]: unknown;
}

function named(list: unknown, name: string | undefined): Named | undefined {
  return Array.isArray(list) ? (list as Named[]).find((entry) => entry?.name === name) : undefined;
}

function replaceEntry(list: Named[] | undefined, entry: Named): Named[] {
  return [...(list ?? []).filter((existing) => existing?.name !== entry.name), entry];
}

/** The user's kubeconfig with the cluster's current context added as `kubewars-vagrant`. */
export function mergeKubeconfig(target: KubeconfigDocument | undefined, source: KubeconfigDocument): KubeconfigDocument {
  const sourceContext = named(source.contexts, source['current-context']) ?? source.contexts?.[0];
  const details = sourceContext?.context as { cluster?: string; user?: string } | undefined;
  const cluster = named(source.clusters, details?.cluster);
  const user = named(source.users, details?.user);
  if (!cluster || !user) throw new Error('the cluster kubeconfig has no complete context');

  const base: KubeconfigDocument = target ?? { apiVersion: 'v1', kind: 'Config', preferences: {} };
  return {
    ...base,
    apiVersion: base.apiVersion ?? 'v1',
    kind: base.kind ?? 'Config',
    clusters: replaceEntry(base.clusters, { ...cluster, name: MERGED_CONTEXT }),
    users: replaceEntry(base.users, { ...user, name: MERGED_USER }),
    contexts: replaceEntry(base.contexts, {
      name: MERGED_CONTEXT,
      context: { cluster: MERGED_CONTEXT, user: MERGED_USER },
    }),
    // Switching a user's current context silently could aim their next kubectl at the wrong cluster.
    'current-context': base['current-context'] || MERGED_CONTEXT,
  };
}

/** A kubeconfig the sandbox writes (its one context is `kubewars-sandbox`): it is rewritten on every sandbox start. */
function isSandboxKubeconfig(path: string): boolean {
  try {
    const document = parseYaml(readFileSync(path, 'utf8')) as KubeconfigDocument | null;
    return document?.['current-context'] === sandboxContextName;
  } catch {
    return false;
  }
}

function samePath(a: string, b: string): boolean {
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : resolve(path));
  return real(a) === real(b);
}

/**
 * Where kubectl keeps the user's own configuration: the first KUBECONFIG entry, else ~/.kube/config. Entries that are
 * the cluster's own kubeconfig (`source`, which `cluster up` rewrites) or a sandbox kubeconfig are skipped: merging
 * into them would write the cluster into itself or into a file that is replaced on the next start.
 */
export function userKubeconfigPath(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
  source?: string,
): string {
  const entries = (env.KUBECONFIG ?? '').split(delimiter).filter((entry) => entry.length > 0);
  const usable = entries.find(
    (entry) => !(source && samePath(entry, source)) && !isSandboxKubeconfig(entry),
  );
  return usable ?? join(home, '.kube', 'config');
}

/** Whether kubectl reads `path` under this environment (KUBECONFIG lists it, or is unset and it is the default). */
export function kubectlReads(path: string, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): boolean {
  const entries = (env.KUBECONFIG ?? '').split(delimiter).filter((entry) => entry.length > 0);
  if (entries.length === 0) return samePath(path, join(home, '.kube', 'config'));
  return entries.some((entry) => samePath(entry, path));
}

function readDocument(path: string): KubeconfigDocument {
  const document: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new UserError(`${path} is not a kubeconfig (not a YAML mapping).`, 'Fix or move it, then merge again.');
  }
  return document as KubeconfigDocument;
}

export function mergeKubeconfigFile(sourcePath: string, targetPath: string): void {
  let merged: KubeconfigDocument;
  try {
    const target = existsSync(targetPath) ? readDocument(targetPath) : undefined;
    merged = mergeKubeconfig(target, readDocument(sourcePath));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Cannot merge ${sourcePath} into ${targetPath}: ${(error as Error).message}.`);
  }
  mkdirSync(dirname(targetPath), { recursive: true });
  // Write beside it, then rename: an interrupted merge never leaves a half-written kubeconfig.
  const temporary = `${targetPath}.kubewars-${process.pid}`;
  writeFileSync(temporary, stringifyYaml(merged), { mode: 0o600 });
  renameSync(temporary, targetPath);
}
