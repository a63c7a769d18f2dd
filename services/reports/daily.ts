import type { Db } from '../../db/client.js';
import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/daily-briefs.js';
import { listCalendarOverrides } from '../../db/repos/calendar.js';
import { getOfficeProfile, takeSerial } from '../../db/repos/office-profile.js';
import { roleUserIds } from '../../db/repos/recipients.js';
import { workCalendar } from '../../core/workflow/calendar.js';
import { addDays, formatYmd, shanghaiInstant, type Ymd } from '../../core/workflow/shanghai.js';
import { dailyBriefDue, dailyFileName, dailyNoticeParams, dailyTitle } from '../../core/reports/daily.js';
import { DAILY_SERIAL_DEFAULT, formatSerial } from '../../core/reports/office.js';
import type { AppEvent } from '../../platform/queues.js';
import { createdEvents, notify, type Notice } from '../notifications/notify.js';
import { renderDailyDocx } from './daily-docx.js';
import { notFound } from '../../platform/errors.js';
import type { DailyBriefView } from './schema.js';

// 舆情日报: made by the reports.daily job (worker/jobs/reports.daily.ts) on every working day at the
// configured time, once per day whatever runs it — the makers queue on an advisory lock and the
// day's row is unique — with its 期号 (kind 'daily') taken in the same transaction, the audit row,
// and a short notice to every leader (in the app and on the channels, rendered per reader).

export interface DailyResult {
  /** null: no brief is due (a day off, or before the time). */
  day: string | null;
  id: string | null;
  created: boolean;
  events: AppEvent[];
}

/** How far back the first brief looks when there is no earlier one. */
const FIRST_WINDOW_MS = 24 * 3600_000;

export async function runDailyBrief(db: Db, now: Date, minutes: number): Promise<DailyResult> {
  const overrides = await listCalendarOverrides(db);
  const day = dailyBriefDue(now, minutes, workCalendar(new Map(overrides.map((o) => [o.day, o.isWorkday]))));
  if (!day) return { day: null, id: null, created: false, events: [] };
  return makeDailyBrief(db, day, now);
}

export async function makeDailyBrief(db: Db, day: Ymd, now: Date): Promise<DailyResult> {
  const key = formatYmd(day);
  const existing = await repo.findDailyBriefByDay(db, key);
  if (existing) return { day: key, id: existing.id, created: false, events: [] };
  return db.transaction().execute(async (trx) => {
    await repo.lockDailyBriefs(trx);
    const again = await repo.findDailyBriefByDay(trx, key);
    if (again) return { day: key, id: again.id, created: false, events: [] };
    const since = (await repo.lastBriefBefore(trx, key)) ?? new Date(now.getTime() - FIRST_WINDOW_MS);
    // Deadlines "today and tomorrow": open obligations due from now to the end of tomorrow (Beijing).
    const horizon = shanghaiInstant(addDays(day, 2), 0);
    const figures = await repo.dailyFigures(trx, since, now, horizon);
    const profile = await getOfficeProfile(trx);
    const no = await takeSerial(trx, 'daily', day.y);
    const serial = formatSerial(profile.serialFormats.daily ?? DAILY_SERIAL_DEFAULT, day.y, no);
    const title = dailyTitle(day);
    const file = await renderDailyDocx({ profile, serial, day, title, figures });
    const id = await repo.insertDailyBrief(trx, { day: key, since, title, figures, serial: { year: day.y, no, text: serial }, file, fileName: dailyFileName(day), generatedAt: now });
    const leaders = await roleUserIds(trx, 'leader');
    const notices: Notice[] = leaders.map((userId) => ({ userId, caseId: null, key: 'report.daily_brief', params: dailyNoticeParams(day, figures), urgent: figures.breaches.length > 0 }));
    const ids = await notify(trx, notices, now);
    await writeAudit(trx, { actor: null, entity: 'daily_brief', entityId: id, action: 'daily_brief.generate', after: { day: key, serial, leaders } });
    return { day: key, id, created: true, events: createdEvents(notices, ids) };
  });
}

/** The newest briefs (the reports screen's 日报 tab). */
export async function listDailyBriefs(db: Db, limit = 60): Promise<{ briefs: DailyBriefView[] }> {
  const rows = await repo.listDailyBriefs(db, limit);
  return {
    briefs: rows.map((r) => ({
      id: r.id,
      day: r.day,
      title: r.title,
      serial: r.serial,
      generatedAt: r.generatedAt.toISOString(),
      alerts: r.figures.alerts.total,
      untriaged: r.figures.alerts.untriaged,
      cases: r.figures.newCases.length,
      deadlines: r.figures.deadlines.length,
      breaches: r.figures.breaches.length,
      periods: r.figures.periods.map((p) => p.name),
    })),
  };
}

export async function dailyBriefFile(db: Db, id: string): Promise<{ file: Buffer; fileName: string }> {
  const r = await repo.dailyBriefFile(db, id);
  if (!r) throw notFound('Daily brief', '舆情日报');
  return { file: r.file, fileName: r.file_name };
}
