import type { Config } from '../../platform/config.js';
import { HostLimiter } from '../../platform/http/host-limiter.js';
import { crawlSource, type CrawlSettings } from '../../services/crawl/crawl-source.js';
import { RuleCache, cached } from '../../services/crawl/rules-cache.js';
import { loadAllowlist } from '../../db/repos/allowlist.js';
import { planAlertPushes, publicBaseUrl, publishAll } from '../../services/alerts/push.js';
import type { AppEvent } from '../../platform/queues.js';
import type { JobContext, JobHandler } from './registry.js';
import { deliverNow } from './notifications.deliver.js';

// sources.crawl: crawls one source once (services/crawl). One host limiter, rule cache and
// allow-list cache per worker process, shared by all its concurrent crawls.

export function crawlSettings(config: Config): CrawlSettings {
  return {
    timeoutMs: config.CRAWL_TIMEOUT_MS,
    connectTimeoutMs: config.CRAWL_CONNECT_TIMEOUT_MS,
    maxBytes: config.CRAWL_MAX_BYTES,
    maxRedirects: config.CRAWL_MAX_REDIRECTS,
    userAgent: config.USER_AGENT,
    backoffMaxS: config.CRAWL_BACKOFF_MAX_S,
    leaseMs: Math.max(60_000, config.CRAWL_TIMEOUT_MS * 12),
    maxDetailPages: 20,
  };
}

export function createCrawlHandler(ctx: JobContext): JobHandler<'sources.crawl'> {
  const { config, db, logger, resolve, signal, now } = ctx;
  const settings = { ...crawlSettings(config), ...ctx.settings };
  const limiter = new HostLimiter({ perHost: config.CRAWL_PER_HOST_CONCURRENCY, minDelayMs: config.CRAWL_HOST_DELAY_MS });
  const rules = new RuleCache(db);
  const allowlist = cached(() => loadAllowlist(db), 2000);
  const baseUrl = publicBaseUrl(config);
  return async (job) => {
    const pushes = crawlPushes(ctx, baseUrl);
    const deps = { db, logger, settings, limiter, rules, allowlist, publish: pushes.publish, now, resolve, signal };
    try {
      return await crawlSource(deps, job.data.sourceId, job.id ?? `crawl-${job.data.sourceId}`);
    } finally {
      await pushes.deliver(); // never throws
    }
  };
}

/**
 * The events of one crawl, published after its transaction commits: a new alert is pushed to the
 * duty officers right after its event (planAlertPushes; alerts.sweep catches any missed), and once
 * the crawl's events are out, a crawl that pushed anything asks for a delivery run at once
 * (deduplicated), so the SMS and group robot get it now rather than on the next delivery tick.
 * Neither a failed push nor a failed request for delivery fails the crawl: its items are stored,
 * the sweep and the delivery tick catch up.
 */
export function crawlPushes(ctx: Pick<JobContext, 'db' | 'logger' | 'now' | 'publish' | 'enqueue'>, baseUrl: string) {
  const { db, logger, now, publish, enqueue } = ctx;
  let pushed = 0;
  return {
    publish: async (ev: AppEvent) => {
      await publish(ev).catch((err: unknown) => logger.warn({ err, event: ev.type }, 'Could not publish a crawl event'));
      if (ev.type !== 'alert.created') return;
      const events: AppEvent[] = [];
      try {
        pushed += await db.transaction().execute((trx) => planAlertPushes(trx, [ev.alertId], now(), baseUrl, events));
        await publishAll(events, publish);
      } catch (err) {
        logger.warn({ err, alert_id: ev.alertId }, 'Alert push failed');
      }
    },
    /** Asks for delivery when anything was pushed since the last call. */
    deliver: async () => {
      if (pushed === 0) return;
      pushed = 0;
      await deliverNow(enqueue).catch((err: unknown) => logger.warn({ err }, 'Could not ask for delivery of alert pushes; the delivery tick sends them'));
    },
  };
}
