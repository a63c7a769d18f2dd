import type { ReportFigures } from '../../../../core/reports/figures.js';
import type { ReportKind } from '../../../../core/reports/period.js';
import { api, failure, type Ok } from '../../lib/api.js';

// Types and calls of the notices screen. Types come from the typed client (the server's zod
// schemas); the stored figures are the JSON the server composed (core/reports/figures.ts).

export type ReportListPage = Ok<Awaited<ReturnType<typeof api.reports.$get>>>;
export type ReportSummary = ReportListPage['reports'][number];
export type Report = Ok<Awaited<ReturnType<(typeof api.reports)[':id']['$get']>>>;
export type { ReportFigures, ReportKind };

export const REPORTS_KEY = ['reports'] as const;
export const detailKey = (id: string) => ['reports', 'detail', id] as const;

export type GenerateInput = { kind: 'weekly'; week: string } | { kind: 'range'; from: string; to: string } | { kind: 'monthly'; month: string } | { kind: 'quarterly'; quarter: string };

/** POST the generate call; `created` is false when the period already had its notice (200). */
export async function generate(input: GenerateInput): Promise<{ created: boolean; report: Report }> {
  let request: Promise<unknown>;
  if (input.kind === 'weekly') request = api.reports.weekly.$post({ json: { week: input.week } });
  else if (input.kind === 'range') request = api.reports.weekly.$post({ json: { from: input.from, to: input.to } });
  else if (input.kind === 'monthly') request = api.reports.monthly.$post({ json: { month: input.month } });
  else request = api.reports.quarterly.$post({ json: { quarter: input.quarter } });
  const res = (await request) as Response;
  if (!res.ok) throw await failure(res);
  return { created: res.status === 201, report: (await res.json()) as Report };
}

/** The stored figures, when they are of the shape this screen knows. */
export function figuresOf(r: Report): ReportFigures | null {
  const f = r.figures as Partial<ReportFigures>;
  return f && typeof f === 'object' && f.overview && Array.isArray(f.departments) && Array.isArray(f.overdueCases) ? (f as ReportFigures) : null;
}

/** The last calendar day of a period (its `to` is the exclusive end instant). */
export function lastInstant(to: string): Date {
  return new Date(new Date(to).getTime() - 1);
}
