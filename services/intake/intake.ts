import { canonicalUrl } from '../../core/url.js';
import { MAX_FUTURE_MS, MIN_YEAR } from '../../core/dates.js';
import { htmlToText } from '../../core/html.js';
import { stripControls } from '../../core/text-repair.js';
import { simhash } from '../../core/simhash.js';
import { minhash } from '../../core/minhash.js';
import { storyText } from '../../core/stories.js';
import { negativity } from '../../core/sentiment.js';
import { matchItem } from '../../core/rules/index.js';
import type { MediaType } from '../../core/vocabulary.js';
import { intakeSource, lockLiveToken, markIntakeSource } from '../../db/repos/api-tokens.js';
import { writeAudit } from '../../db/repos/audit.js';
import { knownUrlKeys } from '../../db/repos/items.js';
import { AppError, zodIssues } from '../../platform/errors.js';
import { ingestItems, type IngestItem } from '../crawl/ingest.js';
import type { RuleCache } from '../crawl/rules-cache.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { Db } from '../../db/client.js';
import { IntakeItem, type IntakeItemResult, type IntakeResult } from './schema.js';
import type { TokenCaller } from './tokens.js';

// The intake API's command: a batch of pushed items through the crawl's own pipeline — canonical
// URL or external id as the item's key, fingerprints (SimHash, MinHash, tone), rule matching, and
// ingestItems (stories, alerts) in one transaction with the batch's audit row. Each item is judged
// on its own: accepted, duplicate (its key is stored already, or came earlier in the batch) or
// rejected with the reason.

interface Candidate {
  index: number;
  item: IntakeItem;
  key: string;
  url: string | null;
}

function rejected(index: number, reason: string, reasonZh: string): IntakeItemResult {
  return { index, status: 'rejected', reason, reasonZh };
}

/** The item's key: `ext:<source>:<externalId>` when it has an external id, else its canonical URL. */
function itemKey(sourceId: number, item: IntakeItem, url: string | null): string {
  return item.externalId !== undefined ? `ext:${sourceId}:${item.externalId}` : url!;
}

export async function submitItems(deps: ModuleDeps, rules: RuleCache, caller: TokenCaller, raw: unknown[], actor: Actor): Promise<IntakeResult> {
  const now = deps.now();
  const ruleSet = await rules.get();
  const submitted = await deps.db.transaction().execute(async (trx) => {
    // Authenticated a moment ago, outside this transaction: a revocation since then refuses the
    // batch, and one arriving now waits for it (nothing is accepted after 吊销 has answered).
    if (!(await lockLiveToken(trx, caller.id))) {
      throw new AppError({ code: 'UNAUTHORIZED', message: 'The API token was revoked', messageZh: '接口令牌已被吊销' });
    }
    return submitItemsIn(trx, ruleSet, caller, raw, actor, now);
  });
  await emitSubmitted(deps, submitted);
  return submitted.result;
}

/** What submitItemsIn leaves to its caller to emit once the transaction has committed. */
export interface Submitted {
  result: IntakeResult;
  events: Awaited<ReturnType<typeof ingestItems>>['events'];
  sourceIds: number[];
}

export async function emitSubmitted(deps: ModuleDeps, s: Submitted): Promise<void> {
  for (const ev of s.events) await deps.emit(ev);
  for (const sourceId of s.sourceIds) await deps.emit({ type: 'source.updated', sourceId });
}

/**
 * The batch inside the caller's transaction (the 12345 import takes its 工单编号 in the same one);
 * the caller emits the events (emitSubmitted) after its commit.
 */
export async function submitItemsIn(
  trx: Db,
  ruleSet: Awaited<ReturnType<RuleCache['get']>>,
  caller: TokenCaller,
  raw: unknown[],
  actor: Actor,
  now: Date,
): Promise<Submitted> {
  const results: IntakeItemResult[] = new Array(raw.length);
  const valid: { index: number; item: IntakeItem; url: string | null }[] = [];
  raw.forEach((input, index) => {
    const parsed = IntakeItem.safeParse(input);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error, input);
      results[index] = rejected(
        index,
        issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
        issues.map((i) => (i.path ? `${i.path} ${i.messageZh}` : i.messageZh)).join('；'),
      );
      return;
    }
    // The crawler's own bounds on a post's date (core/dates.ts): an item dated year 1 would pass for
    // the first report (首发) of any story it joins — alerts, pushes and briefs name the earliest
    // published item — and one dated years ahead would skew the figures by publication date.
    if (parsed.data.publishedAt !== undefined) {
      const at = new Date(parsed.data.publishedAt);
      if (at.getTime() > now.getTime() + MAX_FUTURE_MS) {
        results[index] = rejected(index, 'publishedAt: is more than a day after now', 'publishedAt 发布时间晚于当前时间一天以上');
        return;
      }
      if (at.getUTCFullYear() < MIN_YEAR) {
        results[index] = rejected(index, `publishedAt: is before ${MIN_YEAR}`, `publishedAt 发布时间早于 ${MIN_YEAR} 年`);
        return;
      }
    }
    const url = parsed.data.url !== undefined ? canonicalUrl(parsed.data.url) : null;
    if (parsed.data.url !== undefined && url === null) {
      results[index] = rejected(index, 'url: not an address the monitor can keep', 'url 不是可用的网址');
      return;
    }
    valid.push({ index, item: parsed.data, url });
  });

  {
    // One intake source per token and source name, locked in name order (two batches of one
    // token never wait for each other in a cycle), before any audit row (see services/crawl/steps/store.ts).
    const names = [...new Set(valid.map((v) => v.item.sourceName))].sort();
    const sources = new Map<string, { id: number; enabled: boolean }>();
    for (const name of names) {
      const mediaType: MediaType = valid.find((v) => v.item.sourceName === name)!.item.mediaType;
      sources.set(name, await intakeSource(trx, caller.id, name, mediaType));
    }
    const candidates: Candidate[] = [];
    for (const v of valid) {
      const source = sources.get(v.item.sourceName)!;
      if (!source.enabled) {
        results[v.index] = rejected(v.index, `source "${v.item.sourceName}" is disabled`, `监测源“${v.item.sourceName}”已停用`);
        continue;
      }
      candidates.push({ ...v, key: itemKey(source.id, v.item, v.url) });
    }
    const known = await knownUrlKeys(trx, candidates.map((c) => c.key));
    const seen = new Set<string>();
    const fresh: (Candidate & { ingest: IngestItem })[] = [];
    for (const c of candidates) {
      if (known.has(c.key) || seen.has(c.key)) {
        results[c.index] = { index: c.index, status: 'duplicate', key: c.key };
        continue;
      }
      seen.add(c.key);
      const sourceId = sources.get(c.item.sourceName)!.id;
      const title = stripControls(htmlToText(c.item.title)).slice(0, 500) || '（无标题）';
      const text = stripControls(htmlToText(c.item.text)).slice(0, 100_000);
      const fp = storyText(title, text);
      const tone = negativity(`${title}\n${text}`);
      fresh.push({
        ...c,
        ingest: {
          sourceId,
          urlKey: c.key,
          url: c.url ?? `intake:${caller.id}:${encodeURIComponent(c.item.sourceName)}`,
          guid: c.item.externalId ?? null,
          title,
          text,
          author: c.item.author.slice(0, 200),
          publishedAt: c.item.publishedAt !== undefined ? new Date(c.item.publishedAt) : now,
          publishedAtEstimated: c.item.publishedAt === undefined,
          fetchedAt: now,
          simhash: simhash(fp),
          minhash: minhash(fp),
          negativity: tone,
          hits: matchItem(ruleSet.compiled, { title, text, negativity: tone }),
        },
      });
    }
    const result = await ingestItems(trx, fresh.map((f) => f.ingest), ruleSet.suggestions, now);
    for (const f of fresh) {
      // Not inserted though unknown a moment ago: a concurrent batch or crawl stored it first.
      results[f.index] = { index: f.index, status: result.insertedKeys.has(f.key) ? 'accepted' : 'duplicate', key: f.key };
    }
    for (const [name, s] of sources) {
      const ofSource = fresh.filter((f) => f.item.sourceName === name);
      const newOfSource = ofSource.filter((f) => results[f.index]!.status === 'accepted').length;
      await markIntakeSource(trx, s.id, valid.filter((v) => v.item.sourceName === name).length, newOfSource, now);
    }
    const counts = tally(results);
    await writeAudit(trx, {
      actor,
      entity: 'api_token',
      entityId: caller.id,
      action: 'intake.items',
      after: { token: caller.name, ...counts, sources: names },
    });
    return { result: { ...tally(results), results }, events: result.events, sourceIds: [...sources.values()].map((s) => s.id) };
  }
}

function tally(results: IntakeItemResult[]) {
  let accepted = 0;
  let duplicates = 0;
  let rejectedN = 0;
  for (const r of results) {
    if (r.status === 'accepted') accepted++;
    else if (r.status === 'duplicate') duplicates++;
    else rejectedN++;
  }
  return { accepted, duplicates, rejected: rejectedN };
}
