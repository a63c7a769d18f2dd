// Test helpers (imported by *.test.ts only): Shanghai wall-clock instants built explicitly.

/** '2026-09-30 10:00' (Asia/Shanghai, UTC+8) → the instant, whatever the process time zone. */
export function sh(wall: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(wall);
  if (!m) throw new Error(`bad wall time ${wall}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h) - 8, Number(mi), Number(s)));
}

export const HOUR = 3_600_000;

/** Runs `fn` with the process time zone set to `tz` (Node re-reads TZ on assignment), restoring it after. */
export function withTimeZone<T>(tz: string, fn: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}
