// SSE event ids for alert changes: `${updatedAtMicros}-${alertId}`, where updatedAtMicros is the
// alert's updated_at in whole microseconds since the epoch (Postgres precision, so exact). Ordered
// by (updatedAtMicros, alertId) — the same order as the index alerts_updated (updated_at, id) —
// which lets a reconnecting client's Last-Event-ID be turned back into a replay query.

export interface EventKey {
  micros: bigint;
  alertId: bigint;
}

const FORMAT = /^(\d{1,18})-(\d{1,18})$/;

export function formatEventId(k: EventKey): string {
  return `${k.micros}-${k.alertId}`;
}

export function parseEventId(id: string | undefined | null): EventKey | null {
  const m = id ? FORMAT.exec(id.trim()) : null;
  return m ? { micros: BigInt(m[1]), alertId: BigInt(m[2]) } : null;
}

export function compareKeys(a: EventKey, b: EventKey): number {
  if (a.micros !== b.micros) return a.micros < b.micros ? -1 : 1;
  return a.alertId === b.alertId ? 0 : a.alertId < b.alertId ? -1 : 1;
}

export function maxKey(a: EventKey | null, b: EventKey): EventKey {
  return a === null || compareKeys(b, a) > 0 ? b : a;
}
