import type { Redis } from 'ioredis';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../platform/logger.js';
import type { EventHub } from '../../platform/events.js';
import type { AppEvent } from '../../platform/queues.js';

/** What route modules and services receive: the app's dependencies with the defaults filled in. */
export interface ModuleDeps {
  db: Db;
  config: Config;
  logger: Logger;
  redis: Redis | null;
  events: EventHub;
  now: () => Date;
  /** Publishes an event to every server process (through Redis when present). Never throws. */
  emit: (ev: AppEvent) => Promise<void>;
}
