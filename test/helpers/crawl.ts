import { pino } from 'pino';
import type { Db } from '../../db/client.js';
import type { NewSource } from '../../db/schema.js';
import type { CrawlDeps, CrawlSettings } from '../../services/crawl/crawl-source.js';
import { HostLimiter } from '../../platform/http/host-limiter.js';
import { RuleCache } from '../../services/crawl/rules-cache.js';
import { loadAllowlist } from '../../db/repos/allowlist.js';
import type { AppEvent } from '../../platform/queues.js';

export const silentLogger = pino({ level: 'silent' });

export const testSettings: CrawlSettings = {
  timeoutMs: 3000,
  connectTimeoutMs: 1000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'OpinionDesk-test',
  backoffMaxS: 6 * 3600,
  leaseMs: 60_000,
  maxDetailPages: 50,
};

/** A controllable clock: tests move time forward instead of sleeping. */
export class TestClock {
  constructor(public t = new Date('2026-11-25T02:00:00Z').getTime()) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export function crawlDeps(db: Db, overrides: Omit<Partial<CrawlDeps>, 'settings'> & { settings?: Partial<CrawlSettings> } = {}) {
  const events: AppEvent[] = [];
  const deps: CrawlDeps = {
    db,
    logger: silentLogger,
    limiter: new HostLimiter({ perHost: 4, minDelayMs: 0 }),
    rules: new RuleCache(db, 0),
    allowlist: () => loadAllowlist(db),
    publish: async (ev) => {
      events.push(ev);
    },
    now: () => new Date(),
    ...overrides,
    settings: { ...testSettings, ...overrides.settings },
  };
  return { deps, events };
}

export async function allowHost(db: Db, hostPort: string): Promise<void> {
  await db.insertInto('fetch_allowlist').values({ host_port: hostPort }).onConflict((oc) => oc.doNothing()).execute();
}

export async function addSource(db: Db, s: Partial<NewSource> & { url: string }): Promise<number> {
  const row = await db
    .insertInto('sources')
    .values({ name: s.name ?? s.url, kind: s.kind ?? 'feed', next_fetch_at: new Date(0), ...s })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function makeDue(db: Db, id: number): Promise<void> {
  await db.updateTable('sources').set({ next_fetch_at: new Date(0) }).where('id', '=', id).execute();
}
