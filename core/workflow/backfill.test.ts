import { describe, expect, it } from 'vitest';
import { BACKFILL_CLOCK_SKEW_MS, BACKFILL_GRACE_MS, decideRecordedTime } from './backfill.js';

const H = 3_600_000;
const NOW = new Date('2026-12-06T10:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const base = { now: NOW, maxHours: 24, mayRecordOld: false, notBefore: [{ at: at(-48 * H), what: 'case_start' as const }] };

describe('decideRecordedTime (补录)', () => {
  it('no time given is now, not a 补录', () => {
    expect(decideRecordedTime({ ...base, at: undefined })).toEqual({ ok: true, at: NOW, backfilled: false });
  });
  it('a few minutes ahead (clock skew) is read as now; further ahead is refused', () => {
    expect(decideRecordedTime({ ...base, at: at(BACKFILL_CLOCK_SKEW_MS) })).toEqual({ ok: true, at: NOW, backfilled: false });
    expect(decideRecordedTime({ ...base, at: at(BACKFILL_CLOCK_SKEW_MS + 1) })).toEqual({ ok: false, reason: 'future' });
  });
  it('within the grace it is now; beyond it a 补录, up to the limit', () => {
    expect(decideRecordedTime({ ...base, at: at(-BACKFILL_GRACE_MS) })).toMatchObject({ ok: true, backfilled: false });
    expect(decideRecordedTime({ ...base, at: at(-BACKFILL_GRACE_MS - 1) })).toMatchObject({ ok: true, backfilled: true });
    expect(decideRecordedTime({ ...base, at: at(-24 * H) })).toMatchObject({ ok: true, backfilled: true });
  });
  it('beyond the limit only someone who may record old times (a reviewer) does', () => {
    expect(decideRecordedTime({ ...base, at: at(-24 * H - 1) })).toEqual({ ok: false, reason: 'too_old', maxHours: 24 });
    expect(decideRecordedTime({ ...base, at: at(-30 * H), mayRecordOld: true })).toMatchObject({ ok: true, backfilled: true });
    expect(decideRecordedTime({ ...base, at: at(-3 * H), maxHours: 2 })).toEqual({ ok: false, reason: 'too_old', maxHours: 2 });
  });
  it('never before what it follows, whoever records it', () => {
    const approval = at(-2 * H);
    const notBefore = [...base.notBefore, { at: approval, what: 'approval' as const }];
    expect(decideRecordedTime({ ...base, notBefore, at: at(-3 * H), mayRecordOld: true })).toEqual({ ok: false, reason: 'before', what: 'approval', notBefore: approval });
    expect(decideRecordedTime({ ...base, notBefore, at: at(-49 * H), mayRecordOld: true })).toMatchObject({ ok: false, reason: 'before', what: 'case_start' });
    expect(decideRecordedTime({ ...base, notBefore, at: approval })).toMatchObject({ ok: true, backfilled: true });
  });
});
