import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { Db } from '../../../db/client.js';
import type { Logger } from '../../logger.js';
import type { EventHub } from '../../events.js';
import type { AppEvent } from '../../../worker/queues.js';

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
