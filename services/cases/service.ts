import { LEDGER_SORTS, countLedger, listLedger, type LedgerKey, type LedgerSort } from '../../db/repos/cases-ledger.js';
import type { Viewer } from '../../db/repos/case-access.js';
import { caseDetail } from '../../db/repos/case-detail.js';
import { openDecline } from '../../db/repos/case-declines.js';
import { presentDecline } from './decline.js';
import { checkTown } from '../places/area.js';
import { casePlaces } from '../../db/repos/places.js';
import { fieldError, notFound } from '../../platform/errors.js';
import { isExactUtcTimestamp } from '../shared/cursor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { presentCase, presentLedgerRow } from './present.js';
import type { CaseView, LedgerQuery } from './schema.js';

// Reads: the case page and the ledger (回应台账).

export const caseNotFound = () => notFound('Case', '舆情事件');

export async function getCase(deps: ModuleDeps, id: string, viewer: Viewer): Promise<CaseView> {
  // One statement for the whole page (db/repos/case-detail.ts), visibility rule included.
  const found = await caseDetail(deps.db, id, viewer);
  if (!found) throw caseNotFound();
  const [decline, places] = await Promise.all([openDecline(deps.db, found.case.id).then(presentDecline), casePlaces(deps.db, found.case.id)]);
  return { ...presentCase(found.case, found.parts, deps.now()), places, decline };
}

// Ledger cursors: base64url of [sort, dir, key, id]; a cursor is only valid for the sort it came from.

const INT = /^\d{1,3}$/;
const ID = /^[1-9][0-9]{0,17}$/;

export function encodeLedgerCursor(sort: LedgerSort, dir: string, key: LedgerKey): string {
  return Buffer.from(JSON.stringify([sort, dir, key.value, key.id]), 'utf8').toString('base64url');
}

export function decodeLedgerCursor(cursor: string | undefined, sort: LedgerSort, dir: string): LedgerKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 4 && v.every((x) => typeof x === 'string')) {
      const [s, d, value, id] = v as string[];
      const valueOk = s === 'level' ? INT.test(value) : value === 'infinity' || isExactUtcTimestamp(value);
      if ((LEDGER_SORTS as readonly string[]).includes(s) && s === sort && d === dir && valueOk && ID.test(id)) return { value, id };
    }
  } catch {
    // fall through
  }
  throw fieldError('cursor', 'is not a cursor returned by this API for this sort', '无效（请使用同一排序下上一页返回的 nextCursor）');
}

export async function listCases(deps: ModuleDeps, q: LedgerQuery, viewer: Viewer) {
  const { cursor, limit, ...filter } = q;
  const base = { ...filter, town: await checkTown(deps, filter.town), viewer, now: deps.now(), limit: limit + 1 };
  const after = decodeLedgerCursor(cursor, q.sort, q.dir);
  const [rows, total] = await Promise.all([listLedger(deps.db, { ...base, after }), countLedger(deps.db, base)]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit ? encodeLedgerCursor(q.sort, q.dir, { value: last.sort_key, id: last.id }) : null;
  return { cases: page.map(presentLedgerRow), nextCursor, total };
}
