import { ConfigError, loadConfig, type Config } from '../platform/config.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { StartupError } from './local-services.js';
import { BUSINESS_TZ } from '../core/business-time.js';

// Shared start-up chores of every entry point: configuration, logger, business time zone, and
// a clear message (Chinese and English) instead of a stack trace when start-up fails.

export function boot(name: string): { config: Config; logger: Logger } {
  // Business time is Asia/Shanghai whatever the machine's TZ; code computes zones explicitly,
  // this only makes stray Date formatting in logs agree.
  process.env.TZ = BUSINESS_TZ;
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  return { config, logger: createLogger(config.LOG_LEVEL, name) };
}

export function fail(logger: Logger, err: unknown): never {
  if (err instanceof StartupError) {
    console.error(`\n启动失败 / Start-up failed:\n${err.message}\n`);
  } else {
    logger.fatal({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'Start-up failed');
  }
  process.exit(1);
}

/** Runs `stop` once on SIGTERM/SIGINT, then exits 0; a second signal exits at once. */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'Shutting down gracefully');
    stop()
      .then(() => {
        logger.info('Stopped');
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err: String(err) }, 'Error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}
