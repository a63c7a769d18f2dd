import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { ledgerPages } from '../../../db/repos/ledger-export.js';
import { currentUser, requireRole } from '../../middleware/auth.js';
import { createRouter, errors } from '../../openapi.js';
import { LedgerQuery } from '../../../services/cases/schema.js';
import { checkTown } from '../../../services/places/area.js';
import { attachment } from '../../../services/reports/present.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { LEDGER_COLUMNS, shanghaiText } from './columns.js';
import { abortDownload } from './abort.js';
import { csvStream } from './csv.js';
import { xlsxStream } from './xlsx.js';

// GET /api/cases/export: the ledger (any filter of GET /api/cases, same role scoping: a handler
// gets their department's cases only) as .xlsx or .csv, streamed page by page. Mounted before the
// cases module so /api/cases/{id} does not take "export" for an id.

export const ExportQuery = LedgerQuery.omit({ limit: true, cursor: true }).extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx').openapi({ description: '文件格式' }),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv; charset=utf-8';

const route = createRoute({
  method: 'get',
  path: '/api/cases/export',
  tags: ['cases'],
  summary: '导出回应台账（XLSX 或 CSV，筛选条件同台账，流式输出）',
  middleware: [requireRole(...ROLES)] as const,
  request: { query: ExportQuery },
  responses: {
    200: {
      description: 'The ledger file',
      content: { [XLSX]: { schema: z.string().openapi({ format: 'binary' }) }, [CSV]: { schema: z.string() } },
    },
    400: errors[400],
    401: errors[401],
    403: errors[403],
  },
});

export function exportsRoutes(deps: ModuleDeps) {
  return createRouter().openapi(route, async (c) => {
    const { format, ...filter } = c.req.valid('query');
    const user = currentUser(c);
    const now = deps.now();
    const pages = ledgerPages(deps.db, { ...filter, town: await checkTown(deps, filter.town), viewer: { role: user.role, departmentId: user.departmentId }, now });
    const stamp = shanghaiText(now).slice(0, 10).replace(/-/g, '');
    const name = `回应台账_${stamp}.${format}`;
    const headers = { 'content-disposition': attachment(name, `ledger-${stamp}.${format}`), 'cache-control': 'no-store' };
    // A failure after the first byte aborts the connection, never a short file with status 200.
    const onError = abortDownload(c, (err) => deps.logger.error({ err, request_id: c.get('requestId') }, 'Ledger export failed'));
    if (format === 'csv') return c.body(csvStream(LEDGER_COLUMNS, pages, onError), 200, { ...headers, 'content-type': CSV });
    const about: [string, string][] = [
      ['导出时间', shanghaiText(now)],
      ['导出人', user.displayName || user.username],
      ['筛选条件', describe(filter)],
    ];
    return c.body(xlsxStream(LEDGER_COLUMNS, pages, { about }, onError), 200, { ...headers, 'content-type': XLSX });
  });
}

function describe(f: Record<string, unknown>): string {
  const parts = Object.entries(f)
    .filter(([k, v]) => v !== undefined && k !== 'sort' && k !== 'dir')
    .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : String(v)}`);
  return parts.length ? parts.join('；') : '全部';
}
