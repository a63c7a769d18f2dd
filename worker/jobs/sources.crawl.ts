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
  const deps = { db, logger, settings, limiter, rules, allowlist, publish: crawlPushes(ctx, publicBaseUrl(config)), now, resolve, signal };
  return async (job) => crawlSource(deps, job.data.sourceId, job.id ?? `crawl-${job.data.sourceId}`);
}

/**
 * How a crawl publishes its events, after its transaction commits: a new alert's push to the duty
 * officers is planned alongside its `alert.created` event (planAlertPushes; alerts.sweep catches any
 * missed) and, once that commits, a notifications.deliver run is asked for at once (deduplicated:
 * however many crawls and alerts ask, one run and at most one follow-up), so the SMS and the group
 * robot get the push now rather than on the next delivery tick. Neither a failed push nor a failed
 * request for delivery fails the crawl: its items are stored, the sweep and the delivery tick catch up.
 */
export function crawlPushes(ctx: Pick<JobContext, 'db' | 'logger' | 'now' | 'publish' | 'enqueue'>, baseUrl: string): (ev: AppEvent) => Promise<void> {
  const { db, logger, now, publish, enqueue } = ctx;
  return async (ev) => {
    const published = publish(ev).catch((err: unknown) => logger.warn({ err, event: ev.type }, 'Could not publish a crawl event'));
    if (ev.type !== 'alert.created') return published;
    const events: AppEvent[] = [];
    let pushed = 0;
    try {
      pushed = await db.transaction().execute((trx) => planAlertPushes(trx, [ev.alertId], now(), baseUrl, events));
    } catch (err) {
      logger.warn({ err, alert_id: ev.alertId }, 'Alert push failed');
    }
    if (pushed > 0) {
      await deliverNow(enqueue).catch((err: unknown) => logger.warn({ err, alert_id: ev.alertId }, 'Could not ask for delivery of an alert push; the delivery tick sends it'));
    }
    await published;
    await publishAll(events, publish);
  };
}
