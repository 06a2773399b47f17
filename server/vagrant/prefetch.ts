// `kubewars cluster prefetch`: everything a room without internet needs, fetched once on a good network. The box;
// the manifests of flannel and the add-ons (local-path-provisioner, Contour, metrics-server), kept in vagrant/cache/
// where the provisioning scripts look first; and
// the list of images the course and those add-ons run, which every node pulls while prefetch builds the cluster.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { clusterUp } from './cluster-actions.ts';
import type { ClusterDeps } from './cluster-actions.ts';
import { imagesIn, pullList } from './course-images.ts';
import { chooseProvider } from './doctor.ts';
import type { Provider } from './doctor.ts';
import { classifyVagrantFailure } from './failures.ts';
import { loadSettings } from './settings.ts';
import type { ClusterSettings } from './settings.ts';

/** The add-on releases vagrant/scripts/addons.sh installs (a test keeps the two equal). */
export const LOCAL_PATH_VERSION = 'v0.0.32';
export const CONTOUR_VERSION = 'v1.33.0';
export const METRICS_SERVER_VERSION = 'v0.8.0';
/** Under the vagrant/ folder, shared with the VMs as /vagrant/cache (lib.sh's PREFETCH_DIR). */
export const PREFETCH_DIR = 'cache';
export const IMAGES_FILE = 'images.txt';

export interface AddonManifest {
  /** The file name the provisioning scripts cache it under. */
  file: string;
  url: string;
}

export function addonManifests(settings: ClusterSettings): AddonManifest[] {
  const flannel = settings.kubernetes.flannel_version;
  return [
    {
      file: `kube-flannel-${flannel}.yml`,
      url: `https://github.com/flannel-io/flannel/releases/download/${flannel}/kube-flannel.yml`,
    },
    {
      file: `local-path-storage-${LOCAL_PATH_VERSION}.yaml`,
      url: `https://raw.githubusercontent.com/rancher/local-path-provisioner/${LOCAL_PATH_VERSION}/deploy/local-path-storage.yaml`,
    },
    {
      file: `contour-${CONTOUR_VERSION}.yaml`,
      url: `https://raw.githubusercontent.com/projectcontour/contour/${CONTOUR_VERSION}/examples/render/contour.yaml`,
    },
    {
      file: `metrics-server-${METRICS_SERVER_VERSION}.yaml`,
      url: `https://github.com/kubernetes-sigs/metrics-server/releases/download/${METRICS_SERVER_VERSION}/components.yaml`,
    },
  ];
}

function say(deps: ClusterDeps, ...lines: string[]): void {
  deps.write(`${lines.join('\n')}\n`);
}

async function prefetchBox(deps: ClusterDeps, settings: ClusterSettings, provider: Provider): Promise<void> {
  const { name, version } = settings.box;
  const facts = await deps.hostFacts();
  if (facts.boxes.some((box) => box.name === name && box.version === version && box.provider === provider)) {
    say(deps, `Box ${name} ${version} (${provider}) is already downloaded.`);
    return;
  }
  say(deps, `Downloading box ${name} ${version} for ${provider} (about 1 GB; full log: ${deps.logPath})…`);
  const result = await deps.vagrant.run(['box', 'add', name, '--box-version', version, '--provider', provider]);
  if (result.exitCode !== 0) {
    const failure = classifyVagrantFailure(result.output);
    throw new UserError(failure.explanation, `${failure.nextStep} Full log: ${deps.logPath}`);
  }
  say(deps, `Box ${name} ${version} (${provider}) downloaded.`);
}

/** The manifests' texts, downloaded unless vagrant/cache/ has them already. */
async function prefetchManifests(deps: ClusterDeps, settings: ClusterSettings): Promise<string[]> {
  const dir = join(deps.vagrantDir, PREFETCH_DIR);
  mkdirSync(dir, { recursive: true });
  const texts: string[] = [];
  for (const { file, url } of addonManifests(settings)) {
    const path = join(dir, file);
    if (!existsSync(path) || readFileSync(path, 'utf8').trim() === '') {
      let text: string;
      try {
        text = await deps.download(url);
      } catch (error) {
        throw new UserError(
          `Could not download ${url}: ${(error as Error).message}.`,
          'Run `kubewars cluster prefetch` on a network that reaches github.com (a proxy needs HTTPS_PROXY).',
        );
      }
      if (imagesIn(text).length === 0) {
        throw new UserError(`${url} is not a Kubernetes manifest (it names no image).`, 'Run prefetch again later.');
      }
      writeFileSync(path, text);
    }
    texts.push(readFileSync(path, 'utf8'));
    say(deps, `Manifest ${PREFETCH_DIR}/${file} kept for the VMs.`);
  }
  return texts;
}

export async function clusterPrefetch(deps: ClusterDeps, options: { provider?: Provider }): Promise<void> {
  const settings = loadSettings(deps.vagrantDir);
  const upProvider = chooseProvider(await deps.hostFacts());
  const provider = options.provider ?? upProvider;
  if (!provider) {
    throw new UserError(
      'No VM provider to download the box for.',
      'Install VirtualBox or libvirt (see `kubewars cluster doctor`), or pass --provider virtualbox|libvirt.',
    );
  }
  await prefetchBox(deps, settings, provider);
  const manifests = await prefetchManifests(deps, settings);
  const images = pullList([...deps.courseImages(), ...manifests.flatMap(imagesIn)]);
  writeFileSync(join(deps.vagrantDir, PREFETCH_DIR, IMAGES_FILE), `${images.join('\n')}\n`);
  say(
    deps,
    `${images.length} images for the lessons, the game and the add-ons (${PREFETCH_DIR}/${IMAGES_FILE}):`,
    ...images.map((image) => `  ${image}`),
  );
  if (provider !== upProvider) {
    say(
      deps,
      `\`kubewars cluster up\` builds with ${upProvider ?? 'no provider'} here, not ${provider}: to pull the images into`,
      `${provider} VMs, run \`VAGRANT_DEFAULT_PROVIDER=${provider} kubewars cluster prefetch\`.`,
    );
    return;
  }
  say(deps, '', 'Building the cluster now: every node pulls them once, so the room pulls nothing.');
  await clusterUp(deps);
  say(
    deps,
    '',
    'Prepared for a room without internet. Now `kubewars cluster down` (the disks keep everything);',
    'in the room `kubewars cluster up` boots these VMs and downloads nothing.',
    'To hand the box to attendees on a USB stick, see "Workshops" in vagrant/README.md.',
  );
}
