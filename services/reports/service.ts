import { daysPeriod, monthPeriod, quarterPeriod, weekPeriod, type Period } from '../../core/reports/period.js';
import type { ReportFigures } from '../../core/reports/figures.js';
import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/reports.js';
import { generateReport, renderStored } from './generate.js';
import { formatSerial } from '../../core/reports/office.js';
import { shanghaiParts } from '../../core/workflow/shanghai.js';
import { getOfficeProfile, takeSerial } from '../../db/repos/office-profile.js';
import type { Actor } from '../shared/actor.js';
import { conflict, fieldError, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { presentReport, presentReportSummary } from './present.js';
import type { ReportView, WeeklyInput } from './schema.js';

// Notices (通报): generate for a week / month / quarter / any days (once per period: a second
// request returns the existing one), read, edit the free text of a draft, issue. An issued notice
// never changes (409). Every change writes its audit row in the same transaction.

const reportNotFound = () => notFound('Report', '通报');
const alreadyIssued = () => conflict('The notice is issued and can no longer be changed', '通报已印发，不能再修改');

export function weeklyPeriod(input: WeeklyInput): Period {
  if (input.week !== undefined) {
    const p = weekPeriod(input.week);
    if (!p) throw fieldError('week', 'must be an ISO week like 2026-W47', '必须是 ISO 周，如 2026-W47');
    return p;
  }
  const p = daysPeriod(input.from ?? '', input.to ?? '');
  if ('error' in p) {
    if (p.error === 'order') throw fieldError('from', 'must not be after to', '不能晚于结束日期');
    if (p.error === 'span') throw fieldError('from', 'range is longer than 400 days', '区间不能超过 400 天');
    throw fieldError(p.error, 'must be a date (YYYY-MM-DD)', '必须是日期（YYYY-MM-DD）');
  }
  return p;
}

export function monthlyPeriod(month: string): Period {
  const p = monthPeriod(month);
  if (!p) throw fieldError('month', 'must be a month like 2026-11', '必须是月份，如 2026-11');
  return p;
}

export function quarterlyPeriod(quarter: string): Period {
  const p = quarterPeriod(quarter);
  if (!p) throw fieldError('quarter', 'must be a quarter like 2026-Q4', '必须是季度，如 2026-Q4');
  return p;
}

async function names(deps: ModuleDeps, r: repo.ReportMeta) {
  const [generatedBy, issuedBy] = await Promise.all([repo.userName(deps.db, r.generated_by), repo.userName(deps.db, r.issued_by)]);
  return { generatedBy, issuedBy };
}

export async function getReport(deps: ModuleDeps, id: string): Promise<ReportView> {
  const r = await repo.findReport(deps.db, id);
  if (!r) throw reportNotFound();
  return presentReport(r, await names(deps, r));
}

export async function generate(deps: ModuleDeps, period: Period, actor: Actor): Promise<{ created: boolean; report: ReportView }> {
  // A new notice is audited (report.generate) in the transaction of its insert, by generateReport.
  const { id, created } = await generateReport(deps.db, period, deps.now(), actor);
  if (!created) {
    // The period's notice already existed: nothing changed, but the request is on record as an
    // action of its own; the audit insert is a transaction of its own.
    await writeAudit(deps.db, { actor, entity: 'report', entityId: id, action: 'report.generate_existing', after: { kind: period.kind, period: period.key } });
  }
  return { created, report: await getReport(deps, id) };
}

export async function listReports(deps: ModuleDeps, q: { kind?: repo.ReportMeta['kind']; status?: 'draft' | 'issued'; limit: number; cursor?: string }) {
  const rows = await repo.listReports(deps.db, { kind: q.kind, status: q.status, after: decodeCursor(q.cursor), limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit ? encodeCursor({ at: last.sort_key, id: last.id }) : null;
  return { reports: await Promise.all(page.map(async (r) => presentReportSummary(r, await names(deps, r)))), nextCursor };
}

const stored = (r: repo.ReportMeta) => ({
  title: r.title,
  figures: r.figures as ReportFigures,
  notable: r.notable,
  requirements: r.requirements,
  status: r.status,
  generatedAt: r.generated_at,
  issuedAt: r.issued_at,
  serial: r.serial_text,
});

export async function patchReport(deps: ModuleDeps, id: string, input: { notable?: string; requirements?: string }, actor: Actor): Promise<ReportView> {
  await deps.db.transaction().execute(async (trx) => {
    const r = await repo.lockReport(trx, id);
    if (!r) throw reportNotFound();
    if (r.status !== 'draft') throw alreadyIssued();
    const next = { ...stored(r), notable: input.notable ?? r.notable, requirements: input.requirements ?? r.requirements };
    const file = await renderStored(next, await getOfficeProfile(trx));
    await repo.updateReportText(trx, id, { notable: next.notable, requirements: next.requirements, file, updatedAt: deps.now() });
    await writeAudit(trx, {
      actor,
      entity: 'report',
      entityId: id,
      action: 'report.edit',
      before: { notable: r.notable, requirements: r.requirements },
      after: { notable: next.notable, requirements: next.requirements },
    });
  });
  return getReport(deps, id);
}

export async function issueReport(deps: ModuleDeps, id: string, actor: Actor): Promise<ReportView> {
  await deps.db.transaction().execute(async (trx) => {
    const r = await repo.lockReport(trx, id);
    if (!r) throw reportNotFound();
    if (r.status !== 'draft') throw alreadyIssued();
    const at = deps.now();
    // The 期号: the next number of this kind in the issue's year, taken in this transaction (a
    // failed issue gives it back; concurrent issues wait on the counter row and number in turn).
    const profile = await getOfficeProfile(trx);
    const year = shanghaiParts(at).day.y;
    const no = await takeSerial(trx, r.kind, year);
    const serial = formatSerial(profile.serialFormats[r.kind], year, no);
    const file = await renderStored({ ...stored(r), status: 'issued', issuedAt: at, serial }, profile);
    await repo.markIssued(trx, id, actor.id, at, file, { year, no, text: serial });
    await writeAudit(trx, {
      actor,
      entity: 'report',
      entityId: id,
      action: 'report.issue',
      before: { status: 'draft' },
      after: { status: 'issued', issuedAt: at.toISOString(), serial, serialYear: year, serialNo: no },
    });
  });
  return getReport(deps, id);
}

export async function reportFile(deps: ModuleDeps, id: string): Promise<{ file: Buffer; fileName: string }> {
  const r = await repo.reportFile(deps.db, id);
  if (!r) throw reportNotFound();
  return { file: r.file, fileName: r.file_name };
}
