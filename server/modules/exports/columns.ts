import { CATEGORY_LABELS, CHANNEL_LABELS, LEVEL_LABELS, CASE_ORIGIN_LABELS, CASE_STATUS_LABELS } from '../../../core/vocabulary.js';
import { CALLBACK_RESULT_LABELS } from '../../../core/workflow/origin-windows.js';
import type { LedgerRow } from '../../../db/repos/cases-ledger.js';
import { BUSINESS_OFFSET_MS, beijingYmdHm } from '../../../core/business-time.js';

// The ledger's columns (回应台账), as both exports write them: header, width (Excel characters),
// and the value — text, or a date (written as a real date in XLSX, as Shanghai time in CSV).

export type Cell = string | Date | null;

export interface Column {
  header: string;
  width: number;
  value(r: LedgerRow): Cell;
}

const feedback = (r: LedgerRow) =>
  r.feedback_count === 0 ? '' : `${r.feedback_latest_body ?? ''}${r.feedback_count > 1 ? `（共${r.feedback_count}条）` : ''}`;
const departments = (r: LedgerRow) => [r.lead_department_name, ...r.co_departments.map((d) => d.name)].join('、');
const instructions = (r: LedgerRow) => r.instructions.map((i) => `${i.authorName}：${i.content}${i.reported ? '（已报告办理情况）' : ''}`).join('；');
const sources = (r: LedgerRow) => (r.source_names.length > 0 ? r.source_names.join('、') : CASE_ORIGIN_LABELS[r.origin] + (r.origin_note ? `（${r.origin_note}）` : ''));

// 编号 and 状态 lead, as on the ledger screen, so a 台账 can be cross-checked against the cases.
export const LEDGER_COLUMNS: readonly Column[] = [
  { header: '编号', width: 15, value: (r) => r.number },
  { header: '状态', width: 16, value: (r) => CASE_STATUS_LABELS[r.status] },
  { header: '发现时间', width: 17, value: (r) => r.clock_started_at },
  { header: '来源', width: 18, value: sources },
  { header: '标题', width: 36, value: (r) => r.title },
  { header: '摘要', width: 50, value: (r) => r.summary },
  { header: '级别', width: 8, value: (r) => LEVEL_LABELS[r.level] },
  { header: '类别', width: 11, value: (r) => CATEGORY_LABELS[r.category] },
  { header: '责任单位', width: 20, value: departments },
  { header: '转办时间', width: 17, value: (r) => r.assigned_at ?? r.opened_at },
  { header: '回应时限', width: 17, value: (r) => r.due_at },
  { header: '回应时间', width: 17, value: (r) => r.responded_at },
  // 补录: the response time was typed in afterwards; said beside the channel (the time is a date cell).
  { header: '回应方式', width: 14, value: (r) => (r.response_channel ? CHANNEL_LABELS[r.response_channel] + (r.responded_backfilled ? '（补录）' : '') : '') },
  { header: '是否按时', width: 9, value: (r) => (r.on_time === null ? '' : r.on_time ? '按时' : '超时') },
  { header: '跟踪反馈', width: 30, value: feedback },
  { header: '办结时间', width: 17, value: (r) => r.closed_at },
  { header: '经办人', width: 10, value: (r) => r.drafted_by_name ?? '' },
  { header: '审核人', width: 10, value: (r) => r.reviewed_by_name ?? '' },
  { header: '领导批示', width: 30, value: instructions },
  { header: '地域', width: 18, value: (r) => r.places.join('、') },
  { header: '回访结果', width: 10, value: (r) => (r.callback_result ? CALLBACK_RESULT_LABELS[r.callback_result] : '') },
];

const SHANGHAI_MS = BUSINESS_OFFSET_MS;

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
export function shanghaiText(d: Date): string {
  return beijingYmdHm(d);
}

/** The instant whose UTC wall clock reads Shanghai's: Excel dates have no zone, so they show Shanghai time. */
export function excelDate(d: Date): Date {
  return new Date(d.getTime() + SHANGHAI_MS);
}

/** A cell that a spreadsheet would run as a formula (= + - @, or a leading tab / CR) gets a leading apostrophe. */
export function defuseFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
