import type { Migration } from 'kysely';
import * as m0001 from './20261125_0001_monitoring.js';

/** Every migration, in order. Add new ones here; never edit an applied one. */
export const migrations: Record<string, Migration> = {
  '20261125_0001_monitoring': m0001,
};
