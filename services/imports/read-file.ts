import ExcelJS from 'exceljs';
import { decodeBody } from '../../core/charset.js';
import { MAX_IMPORT_COLUMNS, readCsv } from '../../core/ticket-import.js';
import { AppError, fieldError, payloadTooLarge } from '../../platform/errors.js';
import { checkXlsxArchive, tooManyColumns } from './xlsx-guard.js';

// The uploaded export (sent as base64 inside JSON: the app takes JSON bodies only) read into rows
// of text: .xlsx through exceljs (first worksheet; date cells as their wall-clock text, which
// core/ticket-import.ts reads as Beijing time), anything else as CSV in UTF-8 (BOM or not),
// GBK/GB18030 or UTF-16 as core/charset.ts detects it. A workbook is measured before exceljs
// opens it (xlsx-guard.ts: spreadsheet bombs); a file wider than MAX_IMPORT_COLUMNS is refused; every
// cell is cleaned of what Postgres cannot store (NUL and other C0 controls; lone UTF-16 surrogates,
// which jsonb refuses in the audit row and the saved header profile) before anything else reads it.

/** The largest file an import takes. */
export const MAX_IMPORT_FILE_BYTES = 5 * 1024 * 1024;
/** The most data rows one import takes. */
export const MAX_IMPORT_ROWS = 2000;

const pad = (n: number) => String(n).padStart(2, '0');

/** An Excel date cell: exceljs gives the wall-clock time as if it were UTC. */
function wallClock(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return wallClock(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text; // hyperlink
    if ('result' in v) return cellText((v.result ?? null) as ExcelJS.CellValue); // formula
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

export function decodeUpload(contentBase64: string): Buffer {
  const clean = contentBase64.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) throw fieldError('contentBase64', 'is not base64', '不是有效的 base64 编码');
  // 4 base64 characters carry 3 bytes: refuse before decoding a file over the limit.
  if (Math.floor((clean.length * 3) / 4) > MAX_IMPORT_FILE_BYTES + 2) throw fileTooLarge();
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.length > MAX_IMPORT_FILE_BYTES) throw fileTooLarge();
  if (bytes.length === 0) throw fieldError('contentBase64', 'the file is empty', '文件是空的');
  return bytes;
}

function fileTooLarge(): AppError {
  const e = payloadTooLarge(MAX_IMPORT_FILE_BYTES);
  return new AppError({
    code: 'PAYLOAD_TOO_LARGE',
    message: `The file is too large (at most ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB)`,
    messageZh: `文件过大（不能超过 ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB），请分批导出后再导入`,
    details: e.details,
  });
}

/** C0 control characters but tab, newline and carriage return; DEL. */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function cleanCell(s: string): string {
  return s.replace(CONTROLS, '').replace(LONE_SURROGATE, '\ufffd');
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Buffer) => b.length > 8 && b.readUInt32BE(0) === 0xd0cf11e0;

/** The file's rows of text (header first), whole rows only, trailing empty cells kept as ''. */
export async function readUpload(bytes: Buffer): Promise<string[][]> {
  if (isOle(bytes)) {
    throw fieldError('contentBase64', 'old .xls files are not read; save it as .xlsx or .csv', '不支持旧版 .xls 文件，请在表格软件中另存为 .xlsx 或 .csv 后再导入');
  }
  let rows: string[][];
  if (isZip(bytes)) {
    checkXlsxArchive(bytes);
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      throw fieldError('contentBase64', 'is not a readable .xlsx workbook', '不是可读取的 .xlsx 工作簿');
    }
    const sheet = wb.worksheets[0];
    rows = [];
    sheet?.eachRow({ includeEmpty: false }, (row) => {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      const cells = Array.from({ length: values.length }, (_, i) => cellText(values[i] as ExcelJS.CellValue));
      if (cells.some((c) => c.trim() !== '')) rows.push(cells);
    });
  } else {
    // The header and one row past the limit are enough to refuse a file.
    rows = readCsv(decodeBody({ bytes }).text, { rows: MAX_IMPORT_ROWS + 1, columns: MAX_IMPORT_COLUMNS });
  }
  if (rows.length === 0) throw fieldError('contentBase64', 'the file has no rows', '文件中没有数据行');
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  if (width > MAX_IMPORT_COLUMNS) throw tooManyColumns();
  if (rows.length - 1 > MAX_IMPORT_ROWS) {
    throw fieldError('contentBase64', `the file has more than ${MAX_IMPORT_ROWS} rows; at most ${MAX_IMPORT_ROWS} per import`, `文件超过 ${MAX_IMPORT_ROWS} 行，每次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入`);
  }
  return rows.map((r) => r.map(cleanCell));
}
