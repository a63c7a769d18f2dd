import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, H, makeCase, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// GET /api/cases/export: the ledger's filters and role scoping, CSV (BOM, quoting, formula
// injection) and XLSX (frozen header, widths, real dates, overdue rows, summary sheet) read back.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-11-24 16:00');
const HEADERS = ['编号', '状态', '发现时间', '来源', '标题', '摘要', '级别', '类别', '责任单位', '转办时间', '回应时限', '回应时间', '回应方式', '是否按时', '跟踪反馈', '办结时间', '经办人', '审核人', '领导批示', '地域', '回访结果'];

let f: Fixture;
let A: number;
let B: number;
let handlerA: TestUser;
let leader: TestUser;
const ids: Record<string, string> = {};

/** RFC 4180 reader (quoted fields with "" escapes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

beforeAll(async () => {
  f = await createFixture('export', NOW);
  A = await makeDepartment(f, '市水务局');
  B = await makeDepartment(f, '市住建局');
  handlerA = await makeUser(f, 'handler', A, '李经办');
  leader = await makeUser(f, 'leader', null);
  ids.formula = await makeCase(f, { lead: A, clockStartedAt: sh('2026-11-20 09:00'), title: '=HYPERLINK("http://evil.example","点我")' });
  ids.plus = await makeCase(f, { lead: B, co: [A], clockStartedAt: sh('2026-11-21 09:00'), title: '+86 热线反映停水', level: 'major' });
  ids.overdue = await makeCase(f, { lead: B, clockStartedAt: sh('2026-11-18 09:00'), title: '小区停水, "三天" 无人管\n求助' });
  ids.done = await makeCase(f, { lead: A, clockStartedAt: sh('2026-11-22 09:00'), title: '@所有人 路灯不亮' });
  await f.db.updateTable('cases').set({ summary: '-1 分的评价' }).where('id', '=', ids.done).execute();
  // ids.done: published on time on the website, with feedback; drafted and reviewed.
  const at = new Date(sh('2026-11-22 09:00').getTime() + 5 * H);
  await f.db
    .insertInto('responses')
    .values({ case_id: ids.done, body: '已修复', status: 'published', published_at: at, channel: 'website', drafted_by: handlerA.id, reviewed_by: leader.id })
    .execute();
  await f.db.updateTable('obligations').set({ status: 'met', met_at: at, on_time: true }).where('case_id', '=', ids.done).execute();
  await f.db.updateTable('cases').set({ status: 'responded', responded_at: at }).where('id', '=', ids.done).execute();
  await f.db.insertInto('feedback').values({ case_id: ids.done, kind: 'reaction', body: '网民表示满意', created_at: new Date(at.getTime() + H) }).execute();
});
afterAll(async () => {
  await f.tdb.drop();
});

async function numbersById(): Promise<Record<string, string>> {
  const rows = await f.db.selectFrom('cases').select(['id', 'number']).execute();
  return Object.fromEntries(rows.map((r) => [String(r.id), r.number]));
}

async function csv(who: TestUser, query = '') {
  const r = await f.as(who, 'GET', `/api/cases/export?format=csv${query}`);
  expect(r.status).toBe(200);
  const bytes = Buffer.from(await r.arrayBuffer());
  return { r, bytes, rows: parseCsv(bytes.subarray(3).toString('utf8')) };
}

describe('CSV export', () => {
  it('is UTF-8 with a BOM, the ledger columns in Chinese, dates in Shanghai time, formulas defused', async () => {
    const { r, bytes, rows } = await csv(leader, '&sort=clockStartedAt&dir=asc');
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(r.headers.get('content-disposition')!)![1])).toBe('回应台账_20261124.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows[0]).toEqual(HEADERS);
    expect(rows.slice(1).map((x) => x[4])).toEqual([
      '小区停水, "三天" 无人管\n求助',
      `'=HYPERLINK("http://evil.example","点我")`,
      `'+86 热线反映停水`,
      `'@所有人 路灯不亮`,
    ]);
    // 编号 and 状态 lead, read from the cases themselves.
    const numbers = await numbersById();
    expect(rows.slice(1).map((x) => x[0])).toEqual([numbers[ids.overdue], numbers[ids.formula], numbers[ids.plus], numbers[ids.done]]);
    for (const r of rows.slice(1)) expect(r[0]).toMatch(/^YQ-/);
    expect(rows.slice(1).map((x) => x[1])).toEqual(['处置中', '处置中', '处置中', '已回应（跟踪中）']);
    const done = rows[4];
    expect(done[2]).toBe('2026-11-22 09:00');
    expect(done[5]).toBe(`'-1 分的评价`);
    expect(done[8]).toBe('市水务局');
    expect(done[10]).toBe('2026-11-24 09:00');
    expect(done.slice(11, 17)).toEqual(['2026-11-22 14:00', '网站发布', '按时', '网民表示满意', '', '李经办']);
    expect(done[17]).toMatch(/^leader_/);
    expect(rows[3][8]).toBe('市住建局、市水务局');
    expect(rows[3][6]).toBe('重大');
    expect(rows[1][13]).toBe('超时'); // due 11-20 09:00, still open at 11-24
  });

  it('takes the ledger filters, and a handler gets their department\'s cases only', async () => {
    expect((await csv(leader, '&level=major')).rows.slice(1).map((x) => x[4])).toEqual([`'+86 热线反映停水`]);
    expect((await csv(leader, '&overdue=true')).rows.length - 1).toBe(3);
    const mine = (await csv(handlerA)).rows.slice(1).map((x) => x[4]).sort();
    expect(mine).toEqual([`'+86 热线反映停水`, `'=HYPERLINK("http://evil.example","点我")`, `'@所有人 路灯不亮`].sort());
    expect((await csv(handlerA, `&departmentId=${B}`)).rows.slice(1).map((x) => x[4])).toEqual([`'+86 热线反映停水`]);
    const bad = await f.as(leader, 'GET', '/api/cases/export?format=pdf');
    expect(bad.status).toBe(400);
    expect((await f.app.request('/api/cases/export?format=csv')).status).toBe(401);
  });
});

describe('XLSX export', () => {
  it('has a frozen header, widths, real dates, overdue rows highlighted and a summary sheet', async () => {
    const r = await f.as(leader, 'GET', '/api/cases/export?format=xlsx&sort=clockStartedAt&dir=asc');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['回应台账', '汇总']);
    const ws = wb.getWorksheet('回应台账')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(5).width).toBe(36);
    expect(ws.rowCount).toBe(5);
    const first = ws.getRow(2);
    const numbers = await numbersById();
    expect([2, 3, 4, 5].map((n) => ws.getRow(n).getCell(1).value)).toEqual([numbers[ids.overdue], numbers[ids.formula], numbers[ids.plus], numbers[ids.done]]);
    expect([2, 3, 4, 5].map((n) => ws.getRow(n).getCell(2).value)).toEqual(['处置中', '处置中', '处置中', '已回应（跟踪中）']);
    const found = first.getCell(3).value as Date;
    expect(found).toBeInstanceOf(Date);
    // Shown as Shanghai wall time (Excel dates have no zone).
    expect(found.toISOString().slice(0, 16)).toBe('2026-11-18T09:00');
    expect(first.getCell(3).numFmt).toBe('yyyy-mm-dd hh:mm');
    const fill = (row: number) => (ws.getRow(row).getCell(5).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
    expect([2, 3, 4, 5].map(fill)).toEqual(['FFFDE2E1', 'FFFDE2E1', 'FFFDE2E1', undefined]);
    expect(ws.getRow(3).getCell(5).value).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(ws.getRow(3).getCell(5).formula).toBeUndefined();
    expect(ws.getRow(5).getCell(12).value).toEqual(new Date('2026-11-22T14:00:00.000Z'));
    const summary = wb.getWorksheet('汇总')!;
    const pairs = new Map<string, unknown>();
    summary.eachRow((row) => pairs.set(String(row.getCell(1).value ?? ''), row.getCell(2).value));
    expect(pairs.get('事件总数')).toBe(4);
    expect(pairs.get('超期事件（含逾期完成）')).toBe(3);
    expect(pairs.get('按时回应')).toBe(1);
    expect(pairs.get('重大')).toBe(1);
    expect(pairs.get('首条编号')).toBe(numbers[ids.overdue]);
    expect(pairs.get('末条编号')).toBe(numbers[ids.done]);
    expect(pairs.get('超期事件编号')).toBe([numbers[ids.overdue], numbers[ids.formula], numbers[ids.plus]].join('、'));
    expect(pairs.get('处置中')).toBe(3);
    expect(pairs.get('已回应（跟踪中）')).toBe(1);
    expect(pairs.get('已办结')).toBe(0);
  });
});
