import type { Db } from '../client.js';
import { listLedger, type LedgerKey, type LedgerQuery, type LedgerRow } from './cases-ledger.js';

// The whole ledger for an export, page by page through the same keyset the ledger API uses
// (listLedger: same filters, same role scoping, same sort), so memory holds one page at a time
// however many rows match.

export const EXPORT_PAGE = 1000;

export async function* ledgerPages(db: Db, q: Omit<LedgerQuery, 'after' | 'limit'>, pageSize = EXPORT_PAGE): AsyncGenerator<LedgerRow[]> {
  let after: LedgerKey | undefined;
  for (;;) {
    const rows = await listLedger(db, { ...q, after, limit: pageSize });
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { value: last.sort_key, id: last.id };
  }
}
