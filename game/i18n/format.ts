// Numbers, times and durations in the language in force, through Intl: the tables only place the units.
import { languageTag, words } from './language.ts';

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(digits: number): Intl.NumberFormat {
  const key = `${languageTag()}/${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(languageTag(), {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    numberFormats.set(key, format);
  }
  return format;
}

/** A count or a number with `digits` decimals, with the language's separators ("1 234,5" in French). */
export function formatNumber(n: number, digits = 0): string {
  return numberFormat(digits).format(n);
}

/** Milliseconds as seconds with one decimal: "2.1 s", "2,1 s", "2,1 с", "2.1 秒". */
export function formatSeconds(ms: number): string {
  return words().units.seconds(formatNumber(ms / 1000, 1));
}

/** A share (0..1) as a percentage with one decimal. */
export function formatPercent(share: number): string {
  return words().units.percent(formatNumber(share * 100, 1));
}

/** A wall-clock time of day, as the language writes it. */
export function formatTime(time: number | string): string {
  return new Intl.DateTimeFormat(languageTag(), { timeStyle: 'medium' }).format(new Date(time));
}

/** A date and time, as the language writes it. */
export function formatDateTime(time: number | string): string {
  return new Intl.DateTimeFormat(languageTag(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(time),
  );
}

interface DurationFormatLike {
  format(duration: { hours?: number; minutes?: number; seconds?: number }): string;
}
type DurationFormatConstructor = new (locale: string, options: { style: 'short' }) => DurationFormatLike;

/**
 * A whole number of seconds as a duration ("1 min, 5 sec", "1 мин 5 с"): Intl.DurationFormat where the browser has
 * it, else the largest unit through NumberFormat's unit style (Node 20 and older browsers lack DurationFormat).
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const parts = {
    hours: Math.floor(total / 3600),
    minutes: Math.floor(total / 60) % 60,
    seconds: total % 60,
  };
  const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatConstructor }).DurationFormat;
  if (DurationFormat) {
    const shown = Object.fromEntries(Object.entries(parts).filter(([, v]) => v > 0));
    return new DurationFormat(languageTag(), { style: 'short' }).format(
      Object.keys(shown).length > 0 ? shown : { seconds: 0 },
    );
  }
  const unit = (n: number, name: string): string =>
    new Intl.NumberFormat(languageTag(), { style: 'unit', unit: name, unitDisplay: 'short' }).format(n);
  return [
    parts.hours > 0 ? unit(parts.hours, 'hour') : '',
    parts.minutes > 0 ? unit(parts.minutes, 'minute') : '',
    parts.seconds > 0 || total === 0 ? unit(parts.seconds, 'second') : '',
  ]
    .filter(Boolean)
    .join(' ');
}
