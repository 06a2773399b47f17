// Standard 5-field cron schedules (minute hour day-of-month month day-of-week, with lists, ranges, steps, names and
// the @hourly-style macros), evaluated in UTC like a kube-controller-manager whose CronJobs set no timeZone.

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const NAMES: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

export interface CronSchedule {
  fields: Set<number>[];
  /** Day-of-month and day-of-week both restricted: either may match (cron's rule). */
  eitherDay: boolean;
}

function value(text: string): number {
  const named = NAMES[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new Error(`invalid value "${text}"`);
  return Number(text);
}

function field(text: string, [min, max]: [number, number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : value(stepText);
    let low = min;
    let high = max;
    if (range !== '*' && range !== '?') {
      const [a = '', b] = range.split('-');
      low = value(a);
      high = b === undefined ? (stepText === undefined ? low : max) : value(b);
    }
    if (step < 1 || low < min || high > max || low > high)
      throw new Error(`"${part}" is out of range ${min}-${max}`);
    for (let v = low; v <= high; v += step) values.add(max === 6 && v === 7 ? 0 : v);
  }
  return values;
}

/** Parse a schedule; throws with a message naming the bad part. */
export function parseCron(schedule: string): CronSchedule {
  const expanded = MACROS[schedule.trim().toLowerCase()] ?? schedule.trim();
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: "${schedule}"`);
  const fields = parts.map((part, index) => field(part, RANGES[index] as [number, number]));
  const restricted = (index: number) => parts[index] !== '*' && parts[index] !== '?';
  return { fields, eitherDay: restricted(2) && restricted(4) };
}

/** The first scheduled minute strictly after `after` (ms), within four years; undefined if none. */
export function nextRun(schedule: CronSchedule, after: number): number | undefined {
  const [minutes, hours, days, months, weekdays] = schedule.fields as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  const t = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const limit = after + 4 * 366 * 24 * 3600_000;
  while (t.getTime() <= limit) {
    if (!months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    const dayOk = schedule.eitherDay
      ? days.has(t.getUTCDate()) || weekdays.has(t.getUTCDay())
      : days.has(t.getUTCDate()) && weekdays.has(t.getUTCDay());
    if (!dayOk) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t.getTime();
  }
  return undefined;
}
