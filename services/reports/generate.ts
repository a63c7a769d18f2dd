import type { Db } from '../../db/client.js';
import { writeAudit, type AuditActor } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/reports.js';
import { composeFigures, type ReportFigures } from '../../core/reports/figures.js';
import { shanghaiParts } from '../../core/workflow/shanghai.js';
import type { Period } from '../../core/reports/period.js';
import type { OfficeProfile } from '../../core/reports/office.js';
import { defaultNotable, defaultRequirements, noticeFileName, noticeTitle } from '../../core/reports/text.js';
import { getOfficeProfile } from '../../db/repos/office-profile.js';
import { renderNoticeDocx } from './docx.js';

// Making a notice: figures from the statistics SQL at `now`, the default free text, the .docx, and
// one row per (kind, period) — inserted with ON CONFLICT DO NOTHING, so two workers racing (or a
// worker and a reviewer clicking "generate") make it once; the audit row is written in the same
// transaction as the insert that won. Used by the reports.weekly job and the reports routes.

export interface GenerateResult {
  id: string;
  /** false: the period's report already existed (made by someone else, maybe a moment ago). */
  created: boolean;
}

export async function generateReport(db: Db, period: Period, now: Date, actor: AuditActor | null): Promise<GenerateResult> {
  const existing = await repo.findReportByPeriod(db, period.kind, period.key);
  if (existing) return { id: existing.id, created: false };
  const [inputs, profile] = await Promise.all([repo.figureInputs(db, period, now), getOfficeProfile(db)]);
  const figures = composeFigures(inputs);
  const title = noticeTitle(period.label);
  const notable = defaultNotable(figures);
  const requirements = defaultRequirements(figures, profile.rectificationTo);
  const file = await renderStored({ title, figures, notable, requirements, status: 'draft', generatedAt: now, issuedAt: null, serial: null }, profile);
  const id = await db.transaction().execute(async (trx) => {
    const id = await repo.insertReport(trx, {
      kind: period.kind,
      period: period.key,
      periodFrom: period.from,
      periodTo: period.to,
      title,
      figures,
      notable,
      requirements,
      file,
      fileName: noticeFileName(period.kind, period.key),
      generatedAt: now,
      generatedBy: actor?.id ?? null,
    });
    if (id !== null) {
      await writeAudit(trx, { actor, entity: 'report', entityId: id, action: 'report.generate', after: { kind: period.kind, period: period.key, title, status: 'draft' } });
    }
    return id;
  });
  if (id !== null) return { id, created: true };
  const winner = await repo.findReportByPeriod(db, period.kind, period.key);
  if (!winner) throw new Error(`Report ${period.kind} ${period.key} vanished after a conflicting insert`);
  return { id: winner.id, created: false };
}

export interface StoredNotice {
  title: string;
  figures: ReportFigures;
  notable: string;
  requirements: string;
  status: 'draft' | 'issued';
  generatedAt: Date;
  issuedAt: Date | null;
  /** 期号 as printed; null while a draft. */
  serial: string | null;
}

/**
 * The .docx of a stored notice in the office's current profile (an issued notice's file is
 * rendered once, at issue, and kept): dated the day it was issued (or, as a draft, generated).
 */
export async function renderStored(n: StoredNotice, profile: OfficeProfile): Promise<Buffer> {
  const dated = n.issuedAt ?? n.generatedAt;
  return renderNoticeDocx({
    title: n.title,
    profile,
    serial: n.serial,
    day: shanghaiParts(dated).day,
    draft: n.status === 'draft',
    figures: n.figures,
    notable: n.notable,
    requirements: n.requirements,
  });
}
