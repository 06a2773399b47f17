// Test helpers: variants of the shipped vagrant/settings.yaml, shared by the zod tests and `vagrant validate`.
import { readFileSync } from 'node:fs';

export const shippedSettingsYaml = readFileSync(new URL('../../../vagrant/settings.yaml', import.meta.url), 'utf8');

/** settings.yaml with the `key:` line of one section replaced. */
export function editSettings(section: string, key: string, value: string, yamlText = shippedSettingsYaml): string {
  const start = yamlText.indexOf(`\n${section}:`);
  const keyAt = yamlText.indexOf(`  ${key}:`, start);
  if (start < 0 || keyAt < start) throw new Error(`${section}.${key} not found in settings.yaml`);
  const lineEnd = yamlText.indexOf('\n', keyAt);
  return `${yamlText.slice(0, keyAt)}  ${key}: ${value}${yamlText.slice(lineEnd)}`;
}

/** Broken settings and the message both the CLI and the Vagrantfile must give for them. */
export const BROKEN_SETTINGS: ReadonlyArray<{ what: string; yaml: string; message: RegExp }> = [
  {
    what: 'a word for the worker count',
    yaml: editSettings('workers', 'count', '"two"'),
    message: /workers\.count: expected a whole number from 0 to 20, got "two"/,
  },
  {
    what: 'too many workers',
    yaml: editSettings('workers', 'count', '21'),
    message: /workers\.count: expected a whole number from 0 to 20, got 21/,
  },
  {
    what: 'a 1-CPU control plane',
    yaml: editSettings('control_plane', 'cpus', '1'),
    message: /control_plane\.cpus: expected a whole number from 2 to 64, got 1/,
  },
  {
    what: '512 MiB workers',
    yaml: editSettings('workers', 'memory', '512'),
    message: /workers\.memory: expected a whole number from 1024 to 262144, got 512/,
  },
  {
    what: 'a patch version',
    yaml: editSettings('kubernetes', 'version', '"1.35.2"'),
    message: /kubernetes\.version: expected a Kubernetes minor version such as "1\.35", got "1\.35\.2"/,
  },
  {
    what: 'a bad CIDR',
    yaml: editSettings('kubernetes', 'pod_cidr', '10.244.0.0/99'),
    message: /kubernetes\.pod_cidr: expected a valid CIDR such as 10\.244\.0\.0\/16, got "10\.244\.0\.0\/99"/,
  },
  {
    what: 'addresses past .254',
    yaml: editSettings('network', 'control_plane_ip', '192.168.56.253'),
    message: /network\.control_plane_ip: with 2 workers the addresses 192\.168\.56\.253 to \.255 must stay within \.2 to \.254/,
  },
  {
    what: 'an impossible address',
    yaml: editSettings('network', 'control_plane_ip', '192.168.300.10'),
    message: /network\.control_plane_ip: expected a valid IPv4 address such as 192\.168\.56\.10, got "192\.168\.300\.10"/,
  },
  {
    what: 'a non-boolean add-on',
    yaml: editSettings('addons', 'metrics_server', 'yes please'),
    message: /addons\.metrics_server: expected true or false, got "yes please"/,
  },
  {
    what: 'a section that is not a mapping',
    yaml: shippedSettingsYaml.replace(/\nbox:\n(?:(?: {2}.*)?\n)+/, '\nbox: bento\n'),
    message: /box: expected a section \(a mapping\), got "bento"/,
  },
  {
    what: 'a value left empty',
    yaml: editSettings('workers', 'memory', ''),
    message: /workers\.memory: expected a whole number from 1024 to 262144, got nothing/,
  },
  {
    what: 'an unquoted date as the box version',
    yaml: editSettings('box', 'version', '2025-08-03'),
    message: /box\.version: expected a pinned version such as "202508\.03\.0", got "2025-08-03"/,
  },
  { what: 'a YAML syntax error', yaml: 'box: [\n', message: /it is not valid YAML/ },
  { what: 'an empty file', yaml: '', message: /the file is empty or not a YAML mapping/ },
];
