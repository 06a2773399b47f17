// vagrant/settings.yaml: parsed and validated with the same rules as the Vagrantfile, so the CLI and plain
// `vagrant` reject the same values with the same field names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.ts';

export const MAX_WORKERS = 20;
/** Documented minimums: kubeadm refuses a control plane with fewer than 2 CPUs or about 1.7 GiB. */
export const MINIMUMS = {
  controlPlane: { cpus: 2, memoryMiB: 2048 },
  worker: { cpus: 1, memoryMiB: 1024 },
} as const;

function wholeNumber(min: number, max: number) {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

function text(pattern: RegExp, expected: string) {
  const error = `expected ${expected}`;
  return z.string({ error }).regex(pattern, { error });
}

function isValidCidr(value: string): boolean {
  const [address, bits] = value.split('/');
  return isValidIpv4(address ?? '') && Number(bits) <= 32;
}

function isValidIpv4(value: string): boolean {
  const octets = value.split('.');
  return octets.length === 4 && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}

const cidr = text(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'a CIDR such as 10.244.0.0/16').refine(isValidCidr, {
  error: 'expected a valid CIDR such as 10.244.0.0/16',
});
const flag = z.boolean({ error: 'expected true or false' }).default(false);
const section = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { error: 'expected a section (a mapping)' });

const settingsSchema = z
  .object({
    box: section({
      name: text(/^[\w.-]+\/[\w.-]+$/, 'a box name such as bento/ubuntu-24.04'),
      version: text(/^\d+(\.\d+)*$/, 'a pinned version such as "202508.03.0"'),
    }),
    kubernetes: section({
      version: text(/^1\.\d{2}$/, 'a Kubernetes minor version such as "1.35"'),
      pod_cidr: cidr,
      service_cidr: cidr,
      flannel_version: text(/^v\d+\.\d+\.\d+$/, 'a flannel release such as v0.27.4'),
    }),
    network: section({
      control_plane_ip: text(/^\d{1,3}(\.\d{1,3}){3}$/, 'an IPv4 address such as 192.168.56.10').refine(
        isValidIpv4,
        { error: 'expected a valid IPv4 address such as 192.168.56.10' },
      ),
    }),
    control_plane: section({
      cpus: wholeNumber(MINIMUMS.controlPlane.cpus, 64),
      memory: wholeNumber(MINIMUMS.controlPlane.memoryMiB, 262_144),
    }),
    workers: section({
      count: wholeNumber(0, MAX_WORKERS),
      cpus: wholeNumber(MINIMUMS.worker.cpus, 64),
      memory: wholeNumber(MINIMUMS.worker.memoryMiB, 262_144),
    }),
    addons: section({ storage: flag, ingress: flag, metrics_server: flag, game_manifests: flag }).default({
      storage: false,
      ingress: false,
      metrics_server: false,
      game_manifests: false,
    }),
  })
  .superRefine((settings, context) => {
    const last = Number(settings.network.control_plane_ip.split('.')[3]);
    const highest = last + settings.workers.count;
    if (last < 2 || highest > 254) {
      context.addIssue({
        code: 'custom',
        path: ['network', 'control_plane_ip'],
        message: `with ${settings.workers.count} workers the addresses ${settings.network.control_plane_ip} to .${highest} must stay within .2 to .254`,
      });
    }
  });

export type ClusterSettings = z.infer<typeof settingsSchema>;

export type SettingsResult = { ok: true; settings: ClusterSettings } | { ok: false; problems: string[] };

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A wrong value quoted back as the Vagrantfile does: JSON, a YAML 1.1 date as written, nothing as `nothing`. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (value instanceof Date) return JSON.stringify(value.toISOString().slice(0, 10));
  return JSON.stringify(value);
}

/** Validates the text of settings.yaml; each problem names the field, what it expects and what it got. */
export function parseSettings(yamlText: string): SettingsResult {
  let input: unknown;
  try {
    // YAML 1.1, as Ruby's Psych reads it in the Vagrantfile: `yes` is true there, so it must be here too.
    input = parseYaml(yamlText, { version: '1.1' });
  } catch (error) {
    const firstLine = (error as Error).message.split('\n')[0];
    return { ok: false, problems: [`it is not valid YAML (${firstLine})`] };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: ['the file is empty or not a YAML mapping'] };
  }
  const result = settingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  return {
    ok: false,
    problems: result.error.issues.map(
      (issue) =>
        `${issue.path.join('.')}: ${issue.message}, got ${shown(valueAt(input, issue.path))}`,
    ),
  };
}

export function settingsPath(vagrantDir: string): string {
  return join(vagrantDir, 'settings.yaml');
}

/** Reads and validates `<vagrantDir>/settings.yaml`, or throws a UserError listing every problem. */
export function loadSettings(vagrantDir: string): ClusterSettings {
  const path = settingsPath(vagrantDir);
  let yamlText: string;
  try {
    yamlText = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(
      `${path} is missing.`,
      'Restore it from the Kube Wars sources, or point --dir at the vagrant/ folder.',
    );
  }
  const result = parseSettings(yamlText);
  if (!result.ok) {
    throw new UserError(
      `${path} is invalid: ${result.problems.join('; ')}.`,
      'Fix these values (the comments in settings.yaml give the allowed ranges) and run the command again.',
    );
  }
  return result.settings;
}

export interface PlannedNode {
  /** The Vagrant machine name, which is also the hostname and the Kubernetes node name. */
  name: string;
  role: 'control-plane' | 'worker';
  ip: string;
  cpus: number;
  memoryMiB: number;
}

/** The VMs the Vagrantfile defines for these settings: the control plane first, worker N at its address + N. */
export function planNodes(settings: ClusterSettings): PlannedNode[] {
  const octets = settings.network.control_plane_ip.split('.').map(Number);
  const address = (offset: number) => [...octets.slice(0, 3), (octets[3] ?? 0) + offset].join('.');
  const workers = Array.from({ length: settings.workers.count }, (_, index) => ({
    name: `worker-${index + 1}`,
    role: 'worker' as const,
    ip: address(index + 1),
    cpus: settings.workers.cpus,
    memoryMiB: settings.workers.memory,
  }));
  return [
    {
      name: 'control-plane',
      role: 'control-plane',
      ip: address(0),
      cpus: settings.control_plane.cpus,
      memoryMiB: settings.control_plane.memory,
    },
    ...workers,
  ];
}

export function totalMemoryMiB(settings: ClusterSettings): number {
  return planNodes(settings).reduce((sum, node) => sum + node.memoryMiB, 0);
}
