import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines, snake_case keys, one line per request / job outcome. */
export function createLogger(level: string, name: string): Logger {
  return pino({ level, name, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
