// Reading an export of a 12345 hotline or 领导信箱 system (工单): a CSV reader, the column
// mapping guessed from the header names, the dates those systems write, and each row judged on
// its own (a row without 工单编号, 诉求内容 or a readable 受理时间 is refused with the reason).
// Pure: the caller decodes the bytes (core/charset.ts) or reads the .xlsx cells.

import { BUSINESS_OFFSET_MS } from './business-time.js';

/** The columns an import knows, in the order the mapping screen shows them. */
export const TICKET_FIELDS = ['ticketNo', 'receivedAt', 'title', 'content', 'requester', 'department', 'deadline', 'requestType'] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];

export const TICKET_FIELD_LABELS: Record<TicketField, string> = {
  ticketNo: '工单编号',
  receivedAt: '受理时间',
  title: '标题',
  content: '诉求内容',
  requester: '诉求人',
  department: '承办单位',
  deadline: '办理时限',
  requestType: '诉求类型',
};

/** Fields a row cannot do without. */
export const REQUIRED_TICKET_FIELDS: readonly TicketField[] = ['ticketNo', 'receivedAt', 'content'];

/** Header names each field goes by in the exports seen, most specific first. */
const SYNONYMS: Record<TicketField, readonly string[]> = {
  ticketNo: ['工单编号', '工单号', '信件编号', '受理编号', '件号', '编号'],
  receivedAt: ['受理时间', '来电时间', '来信时间', '登记时间', '提交时间', '写信时间'],
  title: ['信件标题', '标题', '主题'],
  content: ['诉求内容', '来信内容', '反映内容', '问题描述', '来电内容', '内容'],
  requester: ['诉求人', '来电人', '来信人', '联系人', '姓名'],
  department: ['承办单位', '办理单位', '责任单位', '承办部门'],
  deadline: ['办理时限', '办结时限', '截止时间'],
  requestType: ['诉求类型', '工单类型', '诉求分类', '来电类型', '类别', '类型'],
};

/** The most columns an export may have (the mapping's column numbers are 0 to MAX_IMPORT_COLUMNS - 1). */
export const MAX_IMPORT_COLUMNS = 200;

/** Column index per field (-1: not in the file). */
export type TicketMapping = Record<TicketField, number>;

const normHeader = (h: string) => h.replace(/[\s\u3000:：*＊]/g, '');

/**
 * The mapping guessed from a header row: a header equal to a name wins, then one containing it
 * (the longest name first, so 信件编号 is not read as 编号 of another field); each column used once.
 */
export function guessMapping(headers: readonly string[]): TicketMapping {
  const norm = headers.map(normHeader);
  const used = new Set<number>();
  const mapping = Object.fromEntries(TICKET_FIELDS.map((f) => [f, -1])) as TicketMapping;
  const pass = (match: (header: string, name: string) => boolean) => {
    for (const field of TICKET_FIELDS) {
      if (mapping[field] !== -1) continue;
      for (const name of SYNONYMS[field]) {
        const i = norm.findIndex((h, idx) => !used.has(idx) && h !== '' && match(h, name));
        if (i !== -1) {
          mapping[field] = i;
          used.add(i);
          break;
        }
      }
    }
  };
  pass((h, n) => h === n);
  pass((h, n) => h.includes(n));
  return mapping;
}

/**
 * Rows of a CSV text (RFC 4180: quoted fields with commas, quotes and line breaks; CRLF, LF or CR).
 * The delimiter is a comma, or a tab when the first line has tabs and no comma. A leading BOM is
 * dropped; wholly empty lines are skipped. Reading stops once there are more than `limits.rows`
 * rows or a row has more than `limits.columns` fields (the caller refuses such a file: a 5 MB file of
 * millions of one-letter rows read whole took some 500 MB).
 */
export function readCsv(text: string, limits: { rows: number; columns: number } = { rows: Infinity, columns: Infinity }): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, src.search(/\r|\n|$/));
  const delim = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (row.some((c) => c.trim() !== '')) rows.push(row);
    row = [];
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
      i++;
    } else if (ch === delim) {
      row.push(field);
      field = '';
      i++;
      if (row.length > limits.columns) {
        rows.push(row);
        return rows;
      }
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      if (rows.length > limits.rows) return rows;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Excel's day 0 (1899-12-30) in ms since the epoch: serial dates count days from it. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A 受理时间 as those systems write it, read as Beijing time: `2026/12/5 10:42`,
 * `2026-12-05 10:42:00`, `2026年12月5日 10时42分`, `2026.12.05`, `20261205104200`, or an
 * Excel serial number (`46361.4458`). Null when it is none of these or not a real date.
 */
export function parseTicketDate(raw: string): Date | null {
  const s = raw.trim().replace(/\u3000/g, ' ');
  if (s === '') return null;
  let parts: number[] | null = null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*[T\s]\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?$/.exec(s);
  if (m) parts = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const compact = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/.exec(s);
  if (!parts && compact) parts = compact.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (!parts && /^\d{5}(\.\d+)?$/.test(s)) {
    const serial = Number(s);
    if (serial < 20_000 || serial > 80_000) return null;
    // The serial is a wall-clock time with no zone: Beijing time, to the second.
    const wall = Math.round((EXCEL_EPOCH_MS + serial * 86_400_000) / 1000) * 1000;
    return new Date(wall - BUSINESS_OFFSET_MS);
  }
  if (!parts) return null;
  const [y, mo, d, h, mi, sec] = parts as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 || y < 1990 || y > 2100) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, sec);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null; // 2月30日
  return new Date(wall - BUSINESS_OFFSET_MS);
}

/** One row of the file read through the mapping: either a ticket or refused with the reason. */
export interface Ticket {
  /** 1-based row number in the file, the header being row 1. */
  row: number;
  ticketNo: string;
  receivedAt: Date;
  title: string;
  content: string;
  requester: string;
  department: string;
  deadline: string;
  requestType: string;
}

export interface RefusedRow {
  row: number;
  ticketNo: string;
  reason: string;
  reasonZh: string;
}

export const MAX_TICKET_NO = 100;
export const MAX_TICKET_CONTENT = 50_000;

const cell = (cells: readonly string[], i: number) => (i < 0 ? '' : (cells[i] ?? '').replace(/\u0000/g, '').trim());

/** Control characters other than tab and line breaks (a NUL must not reach Postgres). */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A title from the content when the file has none: its first sentence, at most 40 characters. */
export function titleFromContent(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  const first = flat.split(/[。！？!?；;]/)[0]!.trim() || flat;
  return first.length > 40 ? `${first.slice(0, 40)}…` : first;
}

/** The data rows (after the header) read through the mapping, each a ticket or a refusal. */
export function readTickets(rows: readonly (readonly string[])[], mapping: TicketMapping): { tickets: Ticket[]; refused: RefusedRow[] } {
  const tickets: Ticket[] = [];
  const refused: RefusedRow[] = [];
  rows.slice(1).forEach((raw, idx) => {
    const cells = raw.map((c) => c.replace(CONTROLS, ''));
    const row = idx + 2;
    const get = (f: TicketField) => cell(cells, mapping[f]);
    const ticketNo = get('ticketNo');
    const refuse = (reason: string, reasonZh: string) => refused.push({ row, ticketNo: ticketNo.slice(0, MAX_TICKET_NO), reason, reasonZh });
    if (ticketNo === '') return refuse('no ticket number', '缺少工单编号');
    if (ticketNo.length > MAX_TICKET_NO) return refuse(`ticket number longer than ${MAX_TICKET_NO} characters`, `工单编号超过 ${MAX_TICKET_NO} 个字符`);
    const content = get('content');
    if (content === '') return refuse('no request text', '缺少诉求内容');
    if (content.length > MAX_TICKET_CONTENT) return refuse(`request text longer than ${MAX_TICKET_CONTENT} characters`, `诉求内容超过 ${MAX_TICKET_CONTENT} 字`);
    const rawDate = get('receivedAt');
    if (rawDate === '') return refuse('no time of receipt', '缺少受理时间');
    const receivedAt = parseTicketDate(rawDate);
    if (!receivedAt) return refuse(`time of receipt "${rawDate.slice(0, 40)}" is not a date`, `受理时间“${rawDate.slice(0, 40)}”无法识别`);
    tickets.push({
      row,
      ticketNo,
      receivedAt,
      title: (get('title') || titleFromContent(content)).slice(0, 300),
      content,
      requester: get('requester').slice(0, 100),
      department: get('department').slice(0, 200),
      deadline: get('deadline').slice(0, 40),
      requestType: get('requestType').slice(0, 40),
    });
  });
  return { tickets, refused };
}

/** The 诉求类型 of a ticket as a case category: 建议 → 建设性意见, 求助/投诉 → 实际困难, 咨询 → 模糊认识. */
export function categoryOfRequestType(requestType: string): 'suggestion' | 'difficulty' | 'misunderstanding' | null {
  if (/建议|意见/.test(requestType)) return 'suggestion';
  if (/求助|投诉|举报/.test(requestType)) return 'difficulty';
  if (/咨询/.test(requestType)) return 'misunderstanding';
  return null;
}
