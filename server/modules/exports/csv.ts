import type { LedgerRow } from '../../../db/repos/cases-ledger.js';
import { defuseFormula, shanghaiText, type Column } from './columns.js';

// CSV (RFC 4180) for Excel in China: UTF-8 with a BOM (else Excel reads it as GBK), CRLF lines,
// fields quoted when needed, and formula injection defused (a cell starting = + - @ gets a leading
// apostrophe). Pull-based: the next page is read only when the client has taken the previous one.
// A page that fails ends the stream in error after `onError` (which aborts the connection).

export function csvField(v: string | Date | null): string {
  if (v === null) return '';
  const s = v instanceof Date ? shanghaiText(v) : defuseFormula(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | Date | null)[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

export function csvStream(columns: readonly Column[], pages: AsyncGenerator<LedgerRow[]>, onError: (err: unknown) => void): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        if (!headerSent) {
          headerSent = true;
          ctrl.enqueue(enc.encode(`\uFEFF${csvLine(columns.map((c) => c.header))}`));
          return;
        }
        let next: IteratorResult<LedgerRow[]>;
        try {
          next = await pages.next();
        } catch (err) {
          onError(err);
          throw err;
        }
        if (next.done) {
          ctrl.close();
          return;
        }
        ctrl.enqueue(enc.encode(next.value.map((r) => csvLine(columns.map((c) => c.value(r)))).join('')));
      },
      async cancel() {
        await pages.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
