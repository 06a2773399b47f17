// Legacy JSON discovery: /api, /apis, /api/v1, /apis/{group}/{version}. Clients that ask for aggregated
// discovery accept this too: they branch on the answer's Content-Type.
import type { ResourceInfo } from '../types.ts';

const groupVersionOf = (info: { group: string; version: string }) =>
  info.group ? `${info.group}/${info.version}` : info.version;

/** Newest first: v2 before v1, v1 before v1beta1. */
function versionRank(version: string): number {
  const match = version.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
  if (!match) return 0;
  const [, major, stage, minor] = match;
  return Number(major) * 1000 + (stage === 'beta' ? 500 : stage === 'alpha' ? 0 : 900) + Number(minor ?? 0);
}

export function groupVersions(resources: ResourceInfo[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const info of resources) {
    const versions = groups.get(info.group) ?? [];
    if (!versions.includes(info.version)) versions.push(info.version);
    groups.set(info.group, versions);
  }
  for (const versions of groups.values()) versions.sort((a, b) => versionRank(b) - versionRank(a));
  return groups;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]) {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupList(resources: ResourceInfo[]) {
  const groups = [...groupVersions(resources)].filter(([name]) => name !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(([name, versions]) => apiGroup(name, versions)),
  };
}

export function apiGroupDocument(resources: ResourceInfo[], group: string) {
  const versions = groupVersions(resources).get(group);
  return versions && group ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) } : undefined;
}

function subresourceEntries(info: ResourceInfo) {
  const base = { singularName: '', namespaced: info.namespaced };
  return info.subresources.map((sub) => {
    switch (sub) {
      case 'status':
        return {
          ...base,
          name: `${info.resource}/status`,
          kind: info.kind,
          verbs: ['get', 'patch', 'update'],
        };
      case 'scale':
        return {
          ...base,
          name: `${info.resource}/scale`,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        };
      case 'log':
        return { ...base, name: `${info.resource}/log`, kind: info.kind, verbs: ['get'] };
      case 'eviction':
        return {
          ...base,
          name: `${info.resource}/eviction`,
          group: 'policy',
          version: 'v1',
          kind: 'Eviction',
          verbs: ['create'],
        };
      case 'binding':
        return { ...base, name: `${info.resource}/binding`, kind: 'Binding', verbs: ['create'] };
      case 'token':
        return {
          ...base,
          name: `${info.resource}/token`,
          group: 'authentication.k8s.io',
          version: 'v1',
          kind: 'TokenRequest',
          verbs: ['create'],
        };
    }
  });
}

export function apiResourceList(resources: ResourceInfo[], group: string, version: string) {
  const served = resources.filter((info) => info.group === group && info.version === version);
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf({ group, version }),
    // Each base resource is listed before its subresources, as kubectl's discovery expects.
    resources: served.flatMap((info) => [
      {
        name: info.resource,
        singularName: info.singularName,
        namespaced: info.namespaced,
        kind: info.kind,
        verbs: info.verbs,
        ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
        ...(info.categories.length ? { categories: info.categories } : {}),
      },
      ...subresourceEntries(info),
    ]),
  };
}
