// Vagrant's `--machine-readable` output: one `timestamp,target,type,data…` record per line, where commas inside
// data are written `%!(VAGRANT_COMMA)` and newlines `\n` (see Vagrant's "Machine Readable Output" docs).

export interface MachineReadableRecord {
  timestamp: number;
  /** The machine the record is about, or '' for the whole environment. */
  target: string;
  type: string;
  data: string[];
}

function unescape(field: string): string {
  return field.replaceAll('%!(VAGRANT_COMMA)', ',').replaceAll('\\n', '\n').replaceAll('\\r', '\r');
}

/** Parses every well-formed record; other lines (warnings Ruby prints to the same stream) are skipped. */
export function parseMachineReadable(output: string): MachineReadableRecord[] {
  const records: MachineReadableRecord[] = [];
  for (const line of output.split(/\r?\n/)) {
    const fields = line.split(',');
    if (fields.length < 3 || !/^\d+$/.test(fields[0] ?? '')) continue;
    const [timestamp, target, type, ...data] = fields;
    records.push({ timestamp: Number(timestamp), target: target ?? '', type: type ?? '', data: data.map(unescape) });
  }
  return records;
}

export interface MachineState {
  name: string;
  provider: string | undefined;
  /** Vagrant's state id: running, poweroff, saved, not_created, shutoff (libvirt), aborted… */
  state: string;
  /** Vagrant's short description, e.g. "not created". */
  description: string;
}

/** Machines in the order `vagrant status --machine-readable` lists them. */
export function machineStates(records: MachineReadableRecord[]): MachineState[] {
  const machines = new Map<string, MachineState>();
  for (const { target, type, data } of records) {
    if (!target) continue;
    const machine = machines.get(target) ?? { name: target, provider: undefined, state: 'unknown', description: '' };
    const value = data[0] ?? '';
    if (type === 'provider-name') machine.provider = value;
    else if (type === 'state') machine.state = value;
    else if (type === 'state-human-short') machine.description = value;
    else continue;
    machines.set(target, machine);
  }
  return [...machines.values()];
}

export interface InstalledBox {
  name: string;
  provider: string;
  version: string;
}

/** Boxes from `vagrant box list --machine-readable`: each box is a box-name, box-provider, box-version triple. */
export function installedBoxes(records: MachineReadableRecord[]): InstalledBox[] {
  const boxes: InstalledBox[] = [];
  let current: Partial<InstalledBox> = {};
  for (const { type, data } of records) {
    const value = data[0] ?? '';
    if (type === 'box-name') current = { name: value };
    else if (type === 'box-provider') current.provider = value;
    else if (type === 'box-version' && current.name && current.provider) {
      boxes.push({ name: current.name, provider: current.provider, version: value });
    }
  }
  return boxes;
}

/** The message of an `error-exit` record, which Vagrant prints when a command fails. */
export function errorExitMessage(records: MachineReadableRecord[]): string | undefined {
  const record = records.find((candidate) => candidate.type === 'error-exit');
  return record ? record.data.slice(1).join(',') : undefined;
}
