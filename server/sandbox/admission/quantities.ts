// Resource quantities as quota and limit range messages print them: cpu in cores or millicores, bytes with the
// largest binary suffix that divides them, counts as integers (what Quantity.String() gives for such values).
import { parseQuantity } from '../scheduler/quantity.ts';

export { parseQuantity };

const BINARY: [string, number][] = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/** `resource` decides the unit: names ending in cpu are cores, memory and storage bytes, anything else a count. */
export function formatQuantity(resource: string, value: number): string {
  if (resource.endsWith('cpu')) {
    const milli = Math.round(value * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (/memory|storage/.test(resource) && value !== 0) {
    const unit = BINARY.find(([, size]) => value % size === 0);
    if (unit) return `${value / unit[1]}${unit[0]}`;
  }
  return String(Math.round(value));
}
