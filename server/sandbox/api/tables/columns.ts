// Building blocks of server-side Table output: column definitions, kubectl's age format, safe field access.
import type { KubeObject } from '../../types.ts';

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'date' | 'boolean';
  format: string;
  description: string;
  priority: number;
}

export interface Column {
  name: string;
  type?: ColumnDefinition['type'];
  /** 1 = only with -o wide. */
  wide?: boolean;
  format?: string;
  cell(object: KubeObject, now: number): string | number;
}

export const describeColumn = (column: Column): ColumnDefinition => ({
  name: column.name,
  type: column.type ?? 'string',
  format: column.format ?? '',
  description: '',
  priority: column.wide ? 1 : 0,
});

/** kubectl's HumanDuration: 45s, 3m20s, 12m, 5h10m, 30h, 6d7h, 90d, 2y10d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (years < 8) return `${years}y${Math.floor(hours / 24) % 365}d`;
  return `${years}y`;
}

export const since = (timestamp: unknown, now: number): string =>
  typeof timestamp === 'string' && timestamp ? humanDuration(now - Date.parse(timestamp)) : '<unknown>';

/** Reads a nested field: get(obj, 'status', 'replicas'). */
export function get(object: unknown, ...path: (string | number)[]): unknown {
  let value: unknown = object;
  for (const key of path) value = (value as Record<string | number, unknown> | null | undefined)?.[key];
  return value;
}

export const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
export const list = <T = Record<string, unknown>>(value: unknown): T[] =>
  Array.isArray(value) ? (value as T[]) : [];
export const orNone = (text: string): string => text || '<none>';

export const nameColumn: Column = { name: 'Name', format: 'name', cell: (o) => o.metadata.name ?? '' };
export const ageColumn: Column = { name: 'Age', cell: (o, now) => since(o.metadata.creationTimestamp, now) };

/** The Containers and Images columns of a workload whose pod template is at `templatePath`. */
export function templateColumns(...templatePath: string[]): Column[] {
  const containers = (o: KubeObject) => list(get(o, ...templatePath, 'spec', 'containers'));
  return [
    {
      name: 'Containers',
      wide: true,
      cell: (o) =>
        containers(o)
          .map((c) => c.name)
          .join(','),
    },
    {
      name: 'Images',
      wide: true,
      cell: (o) =>
        containers(o)
          .map((c) => c.image)
          .join(','),
    },
  ];
}

export function selectorText(selector: unknown): string {
  const spec = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  if (!spec) return '<none>';
  const labels = Object.entries(spec.matchLabels ?? spec ?? {})
    .filter(([key]) => key !== 'matchLabels' && key !== 'matchExpressions')
    .map(([key, value]) => `${key}=${value}`);
  const fromMatchLabels = Object.entries(spec.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (spec.matchExpressions ?? []).map((e) => {
    const op = { In: 'in', NotIn: 'notin' }[e.operator];
    if (op) return `${e.key} ${op} (${(e.values ?? []).join(',')})`;
    return e.operator === 'Exists' ? e.key : `!${e.key}`;
  });
  const all = spec.matchLabels || spec.matchExpressions ? [...fromMatchLabels, ...expressions] : labels;
  return all.length ? all.join(',') : '<none>';
}
