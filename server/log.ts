import { pino } from 'pino';

// Pretty, human lines in a terminal; JSON lines otherwise (CI, containers, log collectors).
const level = process.env.KUBEWARS_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info');

export const logger = process.stdout.isTTY
  ? pino({ level, transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } })
  : pino({ level });

export type Logger = typeof logger;
