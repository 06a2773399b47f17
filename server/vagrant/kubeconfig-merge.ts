// `kubewars cluster kubeconfig --merge`: copies the Vagrant cluster's admin kubeconfig into the user's kubeconfig
// under one context, replacing only entries of that name and leaving everything else as it was.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { UserError } from '../errors.ts';

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

/** Where kubectl reads its configuration: the first KUBECONFIG entry, else ~/.kube/config. */
export function userKubeconfigPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const first = env.KUBECONFIG?.split(delimiter).find((entry) => entry.length > 0);
  return first ?? join(home, '.kube', 'config');
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
