import type { Config } from '../../platform/config.js';
import { HostLimiter } from '../../platform/http/host-limiter.js';
import { crawlSource, type CrawlSettings } from '../../services/crawl/crawl-source.js';
import { RuleCache, cached } from '../../services/crawl/rules-cache.js';
import { loadAllowlist } from '../../db/repos/allowlist.js';
import { planAlertPushes, publicBaseUrl, publishAll } from '../../services/alerts/push.js';
import type { AppEvent } from '../../platform/queues.js';
import type { JobContext, JobHandler } from './registry.js';

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
  const { config, db, logger, publish, now, resolve, signal } = ctx;
  const settings = { ...crawlSettings(config), ...ctx.settings };
  const limiter = new HostLimiter({ perHost: config.CRAWL_PER_HOST_CONCURRENCY, minDelayMs: config.CRAWL_HOST_DELAY_MS });
  const rules = new RuleCache(db);
  const allowlist = cached(() => loadAllowlist(db), 2000);
  // A new alert is pushed to the duty officers right after its event (alerts.sweep catches any missed).
  const baseUrl = publicBaseUrl(config);
  const publishAndPush = async (ev: AppEvent) => {
    await publish(ev);
    if (ev.type !== 'alert.created') return;
    const events: AppEvent[] = [];
    await db
      .transaction()
      .execute((trx) => planAlertPushes(trx, [ev.alertId], now(), baseUrl, events))
      .then(() => publishAll(events, publish))
      .catch((err: unknown) => logger.warn({ err, alert_id: ev.alertId }, 'Alert push failed'));
  };
  const deps = { db, logger, settings, limiter, rules, allowlist, publish: publishAndPush, now, resolve, signal };
  return async (job) => crawlSource(deps, job.data.sourceId, job.id ?? `crawl-${job.data.sourceId}`);
}
