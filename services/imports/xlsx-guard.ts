import { inflateRawSync } from 'node:zlib';
import { MAX_IMPORT_COLUMNS } from '../../core/ticket-import.js';
import { AppError, fieldError } from '../../platform/errors.js';

// An uploaded .xlsx is a zip: before exceljs reads it (the whole workbook, every sheet, into
// memory) the archive is measured here, entry by entry, by inflating it with a cap on the output.
// A spreadsheet bomb — a few hundred KB that inflate to gigabytes (a huge sharedStrings.xml or a
// padded sheet), or a 5 MB sheet of a million tiny rows — would otherwise exhaust the server's heap
// and take the whole process down; so would cells far to the right (column XFD), since exceljs keeps
// every row as an array as wide as its last cell. Refused with 400 and the reason, in both languages.

/** The most bytes the entries of one workbook may inflate to, together. */
export const MAX_XLSX_INFLATED_BYTES = 40 * 1024 * 1024;
/** The most entries (parts) one workbook may hold; an export has a dozen or so. */
export const MAX_XLSX_ENTRIES = 1000;
/** The most rows (`<row>` elements) all the sheets of one workbook may hold. */
export const MAX_XLSX_ROW_ELEMENTS = 20_000;
/** The most cells (`<c>` elements) all the sheets of one workbook may hold; none right of column MAX_IMPORT_COLUMNS. */
export const MAX_XLSX_CELLS = 200_000;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function unreadable(): AppError {
  return fieldError('contentBase64', 'is not a readable .xlsx workbook', '不是可读取的 .xlsx 工作簿');
}

function tooBig(what: string, whatZh: string): AppError {
  return fieldError(
    'contentBase64',
    `the workbook is too large to import: ${what}; split the export and import it in parts`,
    `工作簿过大，无法导入：${whatZh}；请分批导出后再导入`,
  );
}

export function tooManyColumns(): AppError {
  return fieldError('contentBase64', `the file has more than ${MAX_IMPORT_COLUMNS} columns`, `文件超过 ${MAX_IMPORT_COLUMNS} 列，请删去多余的列后再导入`);
}

/** Offset of the end-of-central-directory record (the last one; a comment may follow it). */
function findEocd(b: Buffer): number {
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}

const ROW = /<(?:[A-Za-z_][\w.-]*:)?row[\s/>]/g;
const CELL = /<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])([^>]*)>/g;
const CELL_REF = /\br\s*=\s*["']\$?([A-Za-z]{1,3})\$?\d/;

function count(text: string, re: RegExp): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

/** 1 for A, 27 for AA … */
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** The number of cells in a sheet's XML, and the rightmost column any of them names. */
function cellsOf(text: string): { cells: number; widest: number } {
  CELL.lastIndex = 0;
  let cells = 0;
  let widest = 0;
  for (let m = CELL.exec(text); m !== null; m = CELL.exec(text)) {
    cells++;
    const ref = CELL_REF.exec(m[1]!);
    if (ref) widest = Math.max(widest, columnNumber(ref[1]!));
  }
  return { cells, widest };
}

/**
 * Throws a 400 unless the zip's entries inflate to at most MAX_XLSX_INFLATED_BYTES together, number
 * at most MAX_XLSX_ENTRIES, and its worksheets hold at most MAX_XLSX_ROW_ELEMENTS rows and
 * MAX_XLSX_CELLS cells. Sizes are measured by inflating (never taken from the headers, which can lie).
 */
export function checkXlsxArchive(b: Buffer): void {
  const eocd = findEocd(b);
  if (eocd < 0) throw unreadable();
  const entries = b.readUInt16LE(eocd + 10);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (entries > MAX_XLSX_ENTRIES) throw tooBig(`${entries} parts in the archive`, `压缩包内有 ${entries} 个部件`);
  let at = cdOffset;
  let inflated = 0;
  let rows = 0;
  let cells = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== CENTRAL) throw unreadable();
    const method = b.readUInt16LE(at + 10);
    const compressed = b.readUInt32LE(at + 20);
    const nameLength = b.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
    const name = b.toString('utf8', at + 46, at + 46 + nameLength);
    const local = b.readUInt32LE(at + 42);
    at = next;
    if (local + 30 > b.length || b.readUInt32LE(local) !== LOCAL) throw unreadable();
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    if (start + compressed > b.length) throw unreadable();
    const raw = b.subarray(start, start + compressed);
    const budget = MAX_XLSX_INFLATED_BYTES - inflated;
    let data: Buffer;
    if (method === 0) {
      data = raw;
      if (data.length > budget) throw tooBig(`it inflates to more than ${MAX_XLSX_INFLATED_BYTES / 1024 / 1024} MB`, `解压后超过 ${MAX_XLSX_INFLATED_BYTES / 1024 / 1024} MB`);
    } else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, budget) });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw tooBig(`it inflates to more than ${MAX_XLSX_INFLATED_BYTES / 1024 / 1024} MB`, `解压后超过 ${MAX_XLSX_INFLATED_BYTES / 1024 / 1024} MB`);
        }
        throw unreadable();
      }
    } else {
      throw unreadable();
    }
    inflated += data.length;
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) {
      const text = data.toString('latin1');
      rows += count(text, ROW);
      const found = cellsOf(text);
      cells += found.cells;
      if (found.widest > MAX_IMPORT_COLUMNS) throw tooManyColumns();
      if (rows > MAX_XLSX_ROW_ELEMENTS) throw tooBig(`more than ${MAX_XLSX_ROW_ELEMENTS} rows in its sheets`, `工作表共超过 ${MAX_XLSX_ROW_ELEMENTS} 行`);
      if (cells > MAX_XLSX_CELLS) throw tooBig(`more than ${MAX_XLSX_CELLS} cells in its sheets`, `工作表共超过 ${MAX_XLSX_CELLS} 个单元格`);
    }
  }
}
