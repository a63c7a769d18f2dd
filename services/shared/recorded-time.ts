import { decideRecordedTime, type NotBeforeWhat } from '../../core/workflow/backfill.js';
import type { Role } from '../../core/vocabulary.js';
import { AppError, fieldError } from '../../platform/errors.js';

// A time typed for something that already happened and meets an obligation (publishedAt of a
// publication, reportedAt of a report upward): core/workflow/backfill.ts decides, this answers the
// caller — 400 for an impossible time, 403 when only a reviewer may record one that far back.

const BEFORE: Record<NotBeforeWhat, { en: string; zh: (label: string) => string }> = {
  case_start: { en: 'is before the case was first seen', zh: () => '早于事件发现时间' },
  approval: { en: 'is before the response was approved', zh: (label) => `${label}不能早于审核通过时间` },
};

export function recordedTime(a: {
  field: string;
  /** The field's name for people: 发布时间, 报告时间. */
  label: string;
  typed: string | undefined;
  now: Date;
  notBefore: readonly { at: Date; what: NotBeforeWhat }[];
  maxHours: number;
  role: Role;
}): { at: Date; backfilled: boolean } {
  const d = decideRecordedTime({
    at: a.typed === undefined ? undefined : new Date(a.typed),
    now: a.now,
    notBefore: a.notBefore,
    maxHours: a.maxHours,
    mayRecordOld: a.role === 'reviewer',
  });
  if (d.ok) return { at: d.at, backfilled: d.backfilled };
  if (d.reason === 'future') throw fieldError(a.field, 'must not be in the future', '不能晚于当前时间');
  if (d.reason === 'before') throw fieldError(a.field, BEFORE[d.what].en, BEFORE[d.what].zh(a.label), { notBefore: d.notBefore.toISOString() });
  throw new AppError({
    code: 'FORBIDDEN',
    message: `A ${a.field} more than ${d.maxHours} hours back must be recorded (补录) by a reviewer`,
    messageZh: `${a.label}早于 ${d.maxHours} 小时前，须由审核人补录`,
    details: { field: a.field, maxHours: d.maxHours },
  });
}
