// Where the Vagrant cluster lives. Vagrant keeps its machines' state (.vagrant/), the cluster's kubeconfig
// (configs/) and the prefetched images (cache/) beside the Vagrantfile. In a checkout that is the repository's
// vagrant/ folder; an installed package (npx, npm install -g) sits in a node_modules folder that every upgrade or
// cache clean replaces, which would orphan running VMs, so the cluster gets a folder of its own in the home.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

/** What Vagrant writes in the folder: never copied from the package. */
const MACHINE_STATE = new Set(['.vagrant', 'configs', 'cache']);
/** The learner's choices (memory, node count, provider): copied once, then theirs. */
const SETTINGS = 'settings.yaml';

export function isInsideInstalledPackage(dir: string): boolean {
  return dir.split(sep).includes('node_modules');
}

/**
 * The cluster's folder for `packagedDir` (the vagrant/ folder that ships with this Kube Wars): itself in a checkout,
 * else `<home>/.kubewars/vagrant`, filled from the package on first use and given the package's Vagrantfile and
 * scripts again on each use (so an upgrade brings their fixes), keeping the settings, state and images it holds.
 */
export function clusterWorkspace(packagedDir: string, home: string): string {
  if (!isInsideInstalledPackage(packagedDir)) return packagedDir;
  const workspace = join(home, '.kubewars', 'vagrant');
  const firstUse = !existsSync(join(workspace, 'Vagrantfile'));
  mkdirSync(workspace, { recursive: true });
  for (const entry of readdirSync(packagedDir)) {
    if (MACHINE_STATE.has(entry) || (entry === SETTINGS && !firstUse)) continue;
    cpSync(join(packagedDir, entry), join(workspace, entry), { recursive: true });
  }
  return workspace;
}
