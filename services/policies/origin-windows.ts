import { z } from '@hono/zod-openapi';
import { MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, REQUEST_TYPES, WINDOW_ORIGINS, type OriginWindow } from '../../core/workflow/origin-windows.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../db/repos/audit.js';
import { loadOriginWindows, lockOriginWindows, saveOriginWindows } from '../../db/repos/origin-windows.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';

// 管理 → 回应规则 → 热线、信箱办理时限: per origin a default window in working days and per 诉求类型
// overrides (core/workflow/origin-windows.ts). Like the rest of the policy, a change applies to
// cases opened (or whose 诉求类型 / level changes) afterwards; existing due times stay.

const Days = z
  .number()
  .refine((v) => Number.isInteger(v) && v >= MIN_WINDOW_DAYS && v <= MAX_WINDOW_DAYS, {
    message: `must be a whole number of working days from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS}`,
    params: { messageZh: `须为 ${MIN_WINDOW_DAYS} 至 ${MAX_WINDOW_DAYS} 之间的整数（工作日）` },
  })
  .openapi({ type: 'integer', minimum: MIN_WINDOW_DAYS, maximum: MAX_WINDOW_DAYS });

const OriginWindowSchema = z
  .object({
    origin: z.enum(WINDOW_ORIGINS),
    enabled: z.boolean().openapi({ description: '关闭：该来源的事件按一般回应时限（如 48 小时）办理' }),
    defaultDays: Days.openapi({ description: '默认办理时限（工作日）' }),
    byRequestType: z
      .partialRecord(z.enum(REQUEST_TYPES), Days)
      .openapi({ description: '按诉求类型的办理时限（工作日）；未列出的类型按默认时限' }),
  })
  .strict()
  .openapi('OriginWindow');

export const OriginWindowsInput = z
  .object({ windows: z.array(OriginWindowSchema).min(1).max(WINDOW_ORIGINS.length) })
  .strict()
  .superRefine((v, ctx) => {
    const origins = v.windows.map((w) => w.origin);
    if (new Set(origins).size !== origins.length) {
      ctx.addIssue({ code: 'custom', path: ['windows'], message: 'one entry per origin', params: { messageZh: '每个来源只能设置一次' } });
    }
  })
  .openapi('OriginWindowsInput');
export type OriginWindowsInput = z.infer<typeof OriginWindowsInput>;

export const OriginWindowsView = z.object({ windows: z.array(OriginWindowSchema) }).openapi('OriginWindows');

export async function getOriginWindows(db: Db) {
  return { windows: await loadOriginWindows(db) };
}

/** Saves the origins given (the other keeps its windows), audited with before and after. */
export async function putOriginWindows(deps: ModuleDeps, input: OriginWindowsInput, actor: Actor) {
  const now = deps.now();
  const windows: OriginWindow[] = input.windows.map((w) => ({ origin: w.origin, enabled: w.enabled, defaultDays: w.defaultDays, byRequestType: { ...w.byRequestType } }));
  await deps.db.transaction().execute(async (trx) => {
    await lockOriginWindows(trx);
    const before = await loadOriginWindows(trx);
    await saveOriginWindows(trx, windows, actor.id, now);
    await writeAudit(trx, { actor, entity: 'policy', entityId: 'origin_windows', action: 'policy.origin_windows', before, after: await loadOriginWindows(trx) });
  });
  return getOriginWindows(deps.db);
}
