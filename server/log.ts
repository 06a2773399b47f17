import { pino } from 'pino';
import { build as prettyStream } from 'pino-pretty';

// Human lines in a terminal; JSON lines otherwise (CI, containers, log collectors) or when asked for.
const level = process.env.KUBEWARS_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info');

export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

function createLogger(format: LogFormat) {
  // In-process and synchronous, not a worker-thread transport: nothing to spawn at start, nothing lost on exit.
  return format === 'pretty'
    ? pino({ level }, prettyStream({ colorize: true, ignore: 'pid,hostname', sync: true }))
    : pino({ level });
}

export function defaultLogFormat(): LogFormat {
  return process.stdout.isTTY ? 'pretty' : 'json';
}

/** Replaced by `setLogFormat` before anything starts; every module reads this binding when it logs. */
export let logger = createLogger(defaultLogFormat());

export function setLogFormat(format: LogFormat): void {
  logger = createLogger(format);
}

export type Logger = typeof logger;
