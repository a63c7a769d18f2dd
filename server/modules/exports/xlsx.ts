import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { LedgerRow } from '../../../db/repos/cases-ledger.js';
import { LEVEL_LABELS, CASE_STATUS_LABELS, CASE_STATUSES, type Level } from '../../../core/vocabulary.js';
import { defuseFormula, excelDate, type Column } from './columns.js';

// The ledger as an .xlsx written with exceljs's streaming WorkbookWriter: rows are committed page by
// page into the zip as the client reads it (we wait for the response stream to drain before
// reading the next page), so 100,000 rows never sit in memory. Sheet 回应台账: a frozen bold header,
// column widths, real dates (shown in Shanghai time), overdue rows in light red. Sheet 汇总: counts
// of what was exported (by status too), the first and last 编号 and the overdue cases' 编号 (it
// comes second: a streamed sheet cannot be written after a later one).

const DATE_FMT = 'yyyy-mm-dd hh:mm';
const OVERDUE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
// Shared style objects: exceljs caches the style id per object, so a shared object costs one lookup.
const STYLE = {
  text: { alignment: { vertical: 'top' as const, wrapText: false } },
  date: { numFmt: DATE_FMT, alignment: { vertical: 'top' as const } },
  lateText: { alignment: { vertical: 'top' as const, wrapText: false }, fill: OVERDUE_FILL },
  lateDate: { numFmt: DATE_FMT, alignment: { vertical: 'top' as const }, fill: OVERDUE_FILL },
  header: { font: { bold: true }, alignment: { vertical: 'middle' as const, horizontal: 'center' as const }, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } } as ExcelJS.Fill },
};

export interface XlsxSummary {
  /** Lines describing the export (when, by whom, which filters). */
  about: [string, string][];
}

interface Tally {
  rows: number;
  overdue: number;
  onTime: number;
  late: number;
  byLevel: Map<string, number>;
  byStatus: Map<string, number>;
  byDepartment: Map<string, number>;
  /** 编号 of the exported cases in order: the first and last, and those overdue (for cross-checking). */
  firstNumber: string | null;
  lastNumber: string | null;
  overdueNumbers: string[];
}

/** How many overdue 编号 the 汇总 sheet lists by name before it says "等 N 件". */
const OVERDUE_LISTED = 200;

function bump(m: Map<string, number>, k: string) {
  m.set(k, (m.get(k) ?? 0) + 1);
}

async function drained(out: PassThrough): Promise<void> {
  if (!out.writableNeedDrain && out.readableLength < out.readableHighWaterMark) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', reject);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', reject);
    // A PassThrough emits 'drain' only after writes were refused; poll the readable side too.
    const t = setInterval(() => {
      if (out.destroyed || out.readableLength < out.readableHighWaterMark) {
        clearInterval(t);
        done();
      }
    }, 5);
  });
}

/** The most sheet XML let wait for compression before the next page of rows is written. */
const ZIP_BACKLOG_BYTES = 1 << 20;

/**
 * exceljs writes a streamed sheet into its zip entry without backpressure, so rows produced faster
 * than they are deflated would pile up in memory (all 100,000 of them). Wait while the entry's
 * input holds more than ZIP_BACKLOG_BYTES.
 */
async function zipCaughtUp(ws: unknown): Promise<void> {
  type Backlogged = { destroyed?: boolean; writableLength?: number; _writableState?: { length?: number } };
  const entry = (ws as { stream?: { pipes?: Backlogged[] } }).stream?.pipes?.[0];
  if (!entry) return;
  const backlog = () => entry.writableLength ?? entry._writableState?.length ?? 0;
  while (!entry.destroyed && backlog() > ZIP_BACKLOG_BYTES) await new Promise((r) => setTimeout(r, 5));
}

async function write(out: PassThrough, columns: readonly Column[], pages: AsyncGenerator<LedgerRow[]>, summary: XlsxSummary): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '舆情回应台';
  const ws = wb.addWorksheet('回应台账', { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.header, width: c.width }));
  const head = ws.getRow(1);
  head.height = 20;
  head.eachCell((cell) => {
    cell.style = STYLE.header;
  });
  head.commit();
  const tally: Tally = { rows: 0, overdue: 0, onTime: 0, late: 0, byLevel: new Map(), byStatus: new Map(), byDepartment: new Map(), firstNumber: null, lastNumber: null, overdueNumbers: [] };
  for await (const page of pages) {
    for (const r of page) {
      const row = ws.addRow(columns.map((c) => {
        const v = c.value(r);
        return v instanceof Date ? excelDate(v) : v === null ? null : defuseFormula(v);
      }));
      row.eachCell({ includeEmpty: true }, (cell) => {
        const isDate = cell.value instanceof Date;
        cell.style = r.overdue ? (isDate ? STYLE.lateDate : STYLE.lateText) : isDate ? STYLE.date : STYLE.text;
      });
      row.commit();
      tally.rows += 1;
      if (r.overdue) {
        tally.overdue += 1;
        if (tally.overdueNumbers.length < OVERDUE_LISTED) tally.overdueNumbers.push(r.number);
      }
      tally.firstNumber ??= r.number;
      tally.lastNumber = r.number;
      if (r.on_time === true) tally.onTime += 1;
      if (r.on_time === false) tally.late += 1;
      bump(tally.byLevel, r.level);
      bump(tally.byStatus, r.status);
      bump(tally.byDepartment, r.lead_department_name);
    }
    if (out.destroyed) break;
    await zipCaughtUp(ws);
    await drained(out);
  }
  ws.commit();
  writeSummary(wb.addWorksheet('汇总'), tally, summary);
  await wb.commit();
}

function writeSummary(ws: ExcelJS.Worksheet, t: Tally, s: XlsxSummary): void {
  ws.columns = [{ width: 24 }, { width: 40 }];
  const line = (a: string, b: string | number, bold = false) => {
    const row = ws.addRow([a, b]);
    if (bold) row.font = { bold: true };
    row.commit();
  };
  line('回应台账导出汇总', '', true);
  for (const [k, v] of s.about) line(k, v);
  line('', '');
  line('事件总数', t.rows, true);
  line('首条编号', t.firstNumber ?? '');
  line('末条编号', t.lastNumber ?? '');
  line('超期事件（含逾期完成）', t.overdue);
  if (t.overdue > 0) line('超期事件编号', t.overdueNumbers.join('、') + (t.overdue > t.overdueNumbers.length ? `等${t.overdue}件` : ''));
  line('按时回应', t.onTime);
  line('超时回应或逾期未回应', t.late);
  line('', '');
  line('按级别', '', true);
  for (const [k, n] of t.byLevel) line(LEVEL_LABELS[k as Level] ?? k, n);
  line('按状态', '', true);
  // Every status, also those with none, in workflow order: the 状态 column's labels, counted.
  for (const k of CASE_STATUSES) line(CASE_STATUS_LABELS[k], t.byStatus.get(k) ?? 0);
  line('按牵头单位', '', true);
  for (const [k, n] of [...t.byDepartment].sort((a, b) => b[1] - a[1])) line(k, n);
  ws.commit();
}

/** The workbook as a web stream for the response. Errors end the stream (the client sees a broken download). */
export function xlsxStream(columns: readonly Column[], pages: AsyncGenerator<LedgerRow[]>, summary: XlsxSummary, onError: (err: unknown) => void): ReadableStream<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  write(out, columns, pages, summary).catch((err) => {
    onError(err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  out.on('close', () => {
    void pages.return(undefined);
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
