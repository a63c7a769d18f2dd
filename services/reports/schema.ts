import { z } from '@hono/zod-openapi';
import { REPORT_KINDS } from '../../core/reports/period.js';
import { Cursor, DateTime, Limit } from '../shared/schema.js';

const Text = (description: string) => z.string().max(20_000).openapi({ description });

export const WeeklyInput = z
  .object({
    week: z.string().max(20).optional().openapi({ description: 'ISO 周（北京时间，周一至周日）', example: '2026-W47' }),
    from: z.string().max(20).optional().openapi({ description: '或：起始日期（含）YYYY-MM-DD', example: '2026-11-16' }),
    to: z.string().max(20).optional().openapi({ description: '或：结束日期（含）YYYY-MM-DD', example: '2026-11-22' }),
  })
  .strict()
  .refine((v) => (v.week !== undefined) !== (v.from !== undefined || v.to !== undefined), {
    message: 'give either week or from and to',
    params: { messageZh: '须提供 week（如 2026-W47）或 from 与 to（日期）之一' },
  })
  .openapi('WeeklyReportInput');
export type WeeklyInput = z.infer<typeof WeeklyInput>;

export const MonthlyInput = z.object({ month: z.string().max(20).openapi({ example: '2026-11' }) }).strict().openapi('MonthlyReportInput');
export const QuarterlyInput = z.object({ quarter: z.string().max(20).openapi({ example: '2026-Q4' }) }).strict().openapi('QuarterlyReportInput');

export const PatchReportInput = z
  .object({
    notable: Text('经验做法（自由文本，每行一段）').optional(),
    requirements: Text('下一步工作要求（自由文本，每行一段）').optional(),
  })
  .strict()
  .refine((v) => v.notable !== undefined || v.requirements !== undefined, {
    message: 'give notable or requirements',
    params: { messageZh: '须提供 notable 或 requirements' },
  })
  .openapi('PatchReportInput');

export const ReportListQuery = z.object({
  kind: z.enum(REPORT_KINDS).optional(),
  status: z.enum(['draft', 'issued']).optional(),
  limit: Limit(20, 100),
  cursor: Cursor,
});

const Summary = {
  id: z.string(),
  kind: z.enum(REPORT_KINDS),
  kindLabel: z.string(),
  period: z.string().openapi({ example: '2026-W47' }),
  periodLabel: z.string().openapi({ example: '2026年第47周' }),
  from: DateTime,
  to: DateTime,
  status: z.enum(['draft', 'issued']),
  statusLabel: z.string(),
  title: z.string(),
  fileName: z.string(),
  fileUrl: z.string(),
  generatedAt: DateTime,
  generatedBy: z.string().nullable().openapi({ description: '生成人（null：定时任务）' }),
  issuedAt: DateTime.nullable(),
  /** 期号 as printed (issued notices only), e.g. 〔2026〕第3期. */
  serial: z.string().nullable(),
  issuedBy: z.string().nullable(),
  updatedAt: DateTime,
};

export const ReportSummaryView = z.object(Summary).openapi('ReportSummary');
export type ReportSummaryView = z.infer<typeof ReportSummaryView>;

export const ReportView = z
  .object({
    ...Summary,
    notable: z.string(),
    requirements: z.string(),
    figures: z.record(z.string(), z.unknown()).openapi({ description: '生成时的统计数字（与 GET /api/stats 同一 SQL），印发后不变' }),
  })
  .openapi('Report');
export type ReportView = z.infer<typeof ReportView>;

export const ReportPage = z.object({ reports: z.array(ReportSummaryView), nextCursor: z.string().nullable() }).openapi('ReportPage');

export const DailyBriefView = z
  .object({
    id: z.string(),
    day: z.string().openapi({ description: '日报日期（北京时间）YYYY-MM-DD', example: '2026-12-07' }),
    title: z.string(),
    serial: z.string().openapi({ description: '期号', example: '〔2026〕日报第1期' }),
    generatedAt: DateTime,
    alerts: z.number().int(),
    untriaged: z.number().int(),
    cases: z.number().int(),
    deadlines: z.number().int(),
    breaches: z.number().int(),
    periods: z.array(z.string()),
  })
  .openapi('DailyBrief');
export type DailyBriefView = z.infer<typeof DailyBriefView>;
export const DailyBriefList = z.object({ briefs: z.array(DailyBriefView) }).openapi('DailyBriefList');
