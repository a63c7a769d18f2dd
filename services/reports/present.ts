import { REPORT_KIND_LABELS, periodOf } from '../../core/reports/period.js';
import type { ReportMeta } from '../../db/repos/reports.js';
import { iso } from '../shared/present.js';
import type { ReportSummaryView, ReportView } from './schema.js';

const STATUS_LABELS = { draft: '草稿', issued: '已印发' } as const;

export interface ReportNames {
  generatedBy: string | null;
  issuedBy: string | null;
}

export function presentReportSummary(r: ReportMeta, names: ReportNames): ReportSummaryView {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: REPORT_KIND_LABELS[r.kind],
    period: r.period,
    periodLabel: periodOf(r.kind, r.period)?.label ?? r.period,
    from: iso(r.period_from),
    to: iso(r.period_to),
    status: r.status,
    statusLabel: STATUS_LABELS[r.status],
    title: r.title,
    fileName: r.file_name,
    fileUrl: `/api/reports/${r.id}/file`,
    generatedAt: iso(r.generated_at),
    generatedBy: names.generatedBy,
    issuedAt: iso(r.issued_at),
    issuedBy: names.issuedBy,
    serial: r.serial_text,
    updatedAt: iso(r.updated_at),
  };
}

export function presentReport(r: ReportMeta, names: ReportNames): ReportView {
  return { ...presentReportSummary(r, names), notable: r.notable, requirements: r.requirements, figures: r.figures as Record<string, unknown> };
}

/** Content-Disposition with the Chinese name (RFC 6266 / 5987) and an ASCII fallback. */
export function attachment(fileName: string, fallback: string): string {
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
