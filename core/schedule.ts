import { isFetchSuccess, type FetchStatus, type SourceKind } from './vocabulary.js';

// When to fetch a source next, and how its health counters move. Pure: time is an argument.

export interface ScheduleState {
  pollIntervalS: number;
  failureScore: number;
  consecutiveFailures: number;
}

export interface ScheduleInput extends ScheduleState {
  status: FetchStatus;
  now: Date;
  /** Cap of the exponential backoff, seconds (default 6 h): a failing source is never parked forever. */
  backoffMaxS: number;
  /** From Retry-After on 429/503. Honoured, within a day. */
  retryAfterMs?: number;
  /** 0..1, spreads retries of many sources failing together; default 0.5 (no spread). */
  jitter?: number;
  /**
   * Multiplies the poll interval after a success while a heightened period (重点时段) is active
   * (its poll factor, 0.1–1); default 1. A failing source's backoff is not shortened.
   */
  pollFactor?: number;
}

export interface ScheduleOutcome {
  nextFetchAt: Date;
  failureScore: number;
  consecutiveFailures: number;
}

/** How much one failure of each kind weighs in the failure score. */
const FAILURE_WEIGHT: Partial<Record<FetchStatus, number>> = {
  dns_error: 2,
  ssrf_refused: 3,
  blocked_challenge: 2,
  too_large: 2,
  parse_error: 1.5,
  tls_error: 2,
  http_4xx: 1.5,
  selector_empty: 1,
};
/** The score halves with each success and decays by this factor with each failure before adding. */
const SCORE_DECAY = 0.8;
const RETRY_AFTER_MAX_MS = 24 * 3600 * 1000;

export function nextSchedule(input: ScheduleInput): ScheduleOutcome {
  const nowMs = input.now.getTime();
  const pollMs = input.pollIntervalS * 1000;
  if (isFetchSuccess(input.status)) {
    return {
      nextFetchAt: new Date(nowMs + Math.round(pollMs * clampFactor(input.pollFactor))),
      failureScore: round(input.failureScore * 0.5),
      consecutiveFailures: 0,
    };
  }
  const failures = input.consecutiveFailures + 1;
  const capMs = input.backoffMaxS * 1000;
  const base = Math.max(pollMs, 30_000);
  const exp = Math.min(capMs, base * 2 ** Math.min(failures - 1, 30));
  const jitter = 0.8 + 0.4 * (input.jitter ?? 0.5);
  let delay = Math.min(capMs, exp * jitter);
  if (input.retryAfterMs !== undefined && input.retryAfterMs > 0) {
    delay = Math.max(delay, Math.min(input.retryAfterMs, RETRY_AFTER_MAX_MS));
  }
  return {
    nextFetchAt: new Date(nowMs + Math.round(delay)),
    failureScore: round(input.failureScore * SCORE_DECAY + (FAILURE_WEIGHT[input.status] ?? 1)),
    consecutiveFailures: failures,
  };
}

/** A source's health as one fetch moves it on. */
export interface SourceHealth extends ScheduleState {
  id: number;
  kind: SourceKind;
  selectorMisses: number;
  typicalGapS: number | null;
  lastNewItemAt: Date | null;
}

export interface FetchSummary {
  status: FetchStatus;
  itemsNew: number;
  retryAfterMs?: number;
}

export interface HealthAfterFetch extends ScheduleOutcome {
  /** The site's streak of fetches whose list selector matched nothing; undefined: unchanged. */
  selectorMisses?: number;
  /** undefined: unchanged. */
  typicalGapS?: number | null;
}

/**
 * Everything one fetch changes on its source besides the fetch's own record: when to fetch next,
 * the failure counters, the selector-miss streak (a site answering at all, even 304, has working
 * selectors) and the typical gap between new items. Retries of sources failing together are spread
 * by a jitter fixed per source. `pollFactor`: the active heightened period's (shorter polls).
 */
export function healthAfterFetch(source: SourceHealth, fetch: FetchSummary, now: Date, backoffMaxS: number, pollFactor = 1): HealthAfterFetch {
  const schedule = nextSchedule({
    pollIntervalS: source.pollIntervalS,
    failureScore: source.failureScore,
    consecutiveFailures: source.consecutiveFailures,
    status: fetch.status,
    now,
    backoffMaxS,
    retryAfterMs: fetch.retryAfterMs,
    jitter: sourceJitter(source.id),
    pollFactor,
  });
  const selectorMisses =
    fetch.status === 'selector_empty' ? source.selectorMisses + 1 : source.kind === 'site' && isFetchSuccess(fetch.status) ? 0 : undefined;
  const typicalGapS = fetch.status === 'ok' && fetch.itemsNew > 0 ? updateTypicalGap(source.typicalGapS, source.lastNewItemAt, now) : undefined;
  return { ...schedule, selectorMisses, typicalGapS };
}

/** A fixed number in [0, 1) per source id (Knuth's multiplicative hash). */
export function sourceJitter(id: number): number {
  return ((id * 2654435761) % 1000) / 1000;
}

/** Typical gap between new items, as an exponentially weighted mean (seconds). */
export function updateTypicalGap(previousS: number | null, lastNewItemAt: Date | null, now: Date): number | null {
  if (!lastNewItemAt) return previousS;
  const gapS = Math.max(1, Math.round((now.getTime() - lastNewItemAt.getTime()) / 1000));
  if (previousS === null) return gapS;
  return Math.round(previousS * 0.7 + gapS * 0.3);
}

/** Silent: no new item for far longer than the source's usual rhythm (6× its typical gap, at least a day). */
export function isSilent(typicalGapS: number | null, lastNewItemAt: Date | null, now: Date): boolean {
  if (typicalGapS === null || lastNewItemAt === null) return false;
  const limitMs = Math.max(6 * typicalGapS * 1000, 24 * 3600 * 1000);
  return now.getTime() - lastNewItemAt.getTime() > limitMs;
}

/** A poll factor within 0.1–1 (anything else: 1). */
function clampFactor(f: number | undefined): number {
  if (f === undefined || !Number.isFinite(f) || f >= 1) return 1;
  return Math.max(0.1, f);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
