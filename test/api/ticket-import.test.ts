import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TICKETS, ticketExportCsv, ticketExportXlsx } from '../../demo/ticket-exports.js';
import { createUser, sessionFor, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';

// 管理 → 导入: 12345 / 领导信箱 exports previewed, imported as cases (registered as by hand) or as
// items for triage, deduplicated by (origin, 工单编号) — re-imports and concurrent imports change
// nothing — with refused rows and their reasons, audited, for duty officers and admins only.

const NOW = new Date('2026-12-07T02:00:00.000Z');
let f: ApiFixture;
let duty: SignedIn;
let depts: Record<string, number>;
let fallback: number;

const b64 = (b: Buffer) => b.toString('base64');
const MAPPING = { ticketNo: 1, receivedAt: 2, requestType: 3, requester: 4, content: 5, department: 6, deadline: 7, title: -1 };

beforeAll(async () => {
  f = await createApiFixture('ticketimport', { now: () => NOW });
  depts = {};
  for (const name of ['住建局', '人社局', '生态环境局', '教育局', '市场监管局']) depts[name] = (await f.newDepartment({ name })).id;
  fallback = (await f.newDepartment({ name: '市政府办公室' })).id;
  duty = await sessionFor(f.db, await createUser(f.db, { role: 'duty' }), NOW);
});
afterAll(async () => {
  await f.tdb.drop();
});

const run = (who: SignedIn, body: Record<string, unknown>) => f.requestAs(who, 'POST', '/api/imports', { origin: 'hotline', mode: 'case', mapping: MAPPING, ...body });
const countOf = async (table: 'cases' | 'items' | 'import_tickets') => Number((await f.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

function csv(lines: string[]): Buffer {
  return Buffer.from(`序号,工单编号,受理时间,诉求类型,诉求人,诉求内容,承办单位,办理时限\n${lines.join('\n')}\n`, 'utf8');
}

describe('preview', () => {
  it('reads the .xlsx export: headers, the guessed mapping, the first 5 rows with date cells as Beijing wall-clock text', async () => {
    const res = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: '12345.xlsx', contentBase64: b64(await ticketExportXlsx()), origin: 'hotline' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.headers).toEqual(['序号', '工单编号', '受理时间', '诉求类型', '诉求人', '诉求内容', '承办单位', '办理时限']);
    expect(body.mapping).toEqual(MAPPING);
    expect(body.mappingFrom).toBe('guessed');
    expect(body.totalRows).toBe(DEMO_TICKETS.length);
    expect(body.rows).toHaveLength(5);
    expect(body.rows[0].slice(1, 3)).toEqual(['GD2026120500123', '2026-12-05 08:42:00']);
    expect(body.fields.filter((x: any) => x.required).map((x: any) => x.label)).toEqual(['工单编号', '受理时间', '诉求内容']);
  });

  it('reads the GBK .csv export the same way', async () => {
    const res = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: '12345.csv', contentBase64: b64(ticketExportCsv()), origin: 'hotline' });
    const body = (await res.json()) as any;
    expect(body.mapping).toEqual(MAPPING);
    expect(body.rows[0][5]).toBe(DEMO_TICKETS[0]![4]);
    expect(body.rows[0][2]).toBe('2026/12/5 8:42');
  });

  it('refuses what it cannot read with a 4xx in Chinese and English', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0x41);
    const tooBig = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: 'big.csv', contentBase64: b64(big), origin: 'hotline' });
    expect(tooBig.status).toBe(413);
    expect((await errorOf(tooBig)).messageZh).toContain('5 MB');
    const huge = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: 'huge.csv', contentBase64: 'A'.repeat(9 * 1024 * 1024), origin: 'hotline' });
    expect(huge.status).toBe(413);
    const notB64 = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: 'x.csv', contentBase64: '这不是base64', origin: 'hotline' });
    expect(notB64.status).toBe(400);
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]);
    const old = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: 'x.xls', contentBase64: b64(xls), origin: 'hotline' });
    expect(old.status).toBe(400);
    expect((await errorOf(old)).messageZh).toContain('.xlsx');
    const zip = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: 'x.xlsx', contentBase64: b64(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(50)])), origin: 'hotline' });
    expect(zip.status).toBe(400);
    const origin = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: 'x.csv', contentBase64: b64(ticketExportCsv()), origin: 'alert' });
    expect(origin.status).toBe(400);
  });
});

describe('import as cases', () => {
  it('registers each row as a forwarded opinion: origin hotline, clock from 受理时间, lead from 承办单位, obligations, 交办 notice, audit', async () => {
    const handler = await createUser(f.db, { role: 'handler', departmentId: depts['住建局'] });
    const res = await run(duty, { fileName: '12345.csv', contentBase64: b64(ticketExportCsv()) });
    expect(res.status).toBe(201);
    const report = (await res.json()) as any;
    expect(report).toMatchObject({ rowsTotal: 6, imported: 6, duplicates: 0, refused: 0, refusedRows: [] });
    const cases = await f.db.selectFrom('cases').selectAll().where('origin', '=', 'hotline').orderBy('clock_started_at').execute();
    expect(cases).toHaveLength(6);
    const first = cases[0]!;
    expect(first.clock_started_at.toISOString()).toBe('2026-12-05T00:42:00.000Z');
    expect(first.lead_department_id).toBe(depts['住建局']);
    expect(first.category).toBe('difficulty'); // 投诉
    expect(first.origin_note).toBe('12345热线工单 GD2026120500123；诉求类型：投诉；诉求人：王某；承办单位：住建局；办理时限：2026-12-12');
    expect(first.title).toBe('城关镇东关村安置房拆迁补偿款至今未发放，多次询问无人答复，请尽快落实');
    expect(cases.find((c) => c.origin_note.includes('GD2026120500170'))!.category).toBe('suggestion');
    const obligations = await f.db.selectFrom('obligations').select('case_id').where('case_id', '=', first.id).execute();
    expect(obligations.length).toBeGreaterThan(0);
    const notices = await f.db.selectFrom('notifications').selectAll().where('user_id', '=', handler.id).where('case_id', '=', first.id).execute();
    expect(notices).toHaveLength(1);
    const audit = await f.db.selectFrom('audit_log').selectAll().where('action', '=', 'ticket_import.create').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.entity_id).toBe(String(report.id));
    expect(audit[0]!.after).toMatchObject({ origin: 'hotline', mode: 'case', rowsTotal: 6, imported: 6, duplicates: 0, refused: 0 });
    const created = await f.db.selectFrom('audit_log').select('case_id').where('action', '=', 'case.create').execute();
    expect(created.map((a) => a.case_id).sort()).toEqual(cases.map((c) => c.id).sort());
    expect(report.cases.map((c: any) => c.caseId).sort()).toEqual(cases.map((c) => c.id).sort());
  });

  it('changes nothing when the same tickets come again, as .xlsx, as cases or as items', async () => {
    const [cases, items, audit] = [await countOf('cases'), await countOf('items'), await f.db.selectFrom('audit_log').select('id').where('action', '=', 'case.create').execute()];
    const again = (await (await run(duty, { fileName: '12345.xlsx', contentBase64: b64(await ticketExportXlsx()) })).json()) as any;
    expect(again).toMatchObject({ rowsTotal: 6, imported: 0, duplicates: 6, refused: 0 });
    const asItems = (await (await run(duty, { fileName: '12345.xlsx', mode: 'item', contentBase64: b64(await ticketExportXlsx()) })).json()) as any;
    expect(asItems).toMatchObject({ imported: 0, duplicates: 6 });
    expect(await countOf('cases')).toBe(cases);
    expect(await countOf('items')).toBe(items);
    expect(await f.db.selectFrom('audit_log').select('id').where('action', '=', 'case.create').execute()).toHaveLength(audit.length);
  });

  it('lets two concurrent imports of one file register each ticket once', async () => {
    const file = csv(['1,GD-C-1,2026/12/6 9:00,投诉,甲,路面塌陷,住建局,', '2,GD-C-2,2026/12/6 9:10,咨询,乙,社保转移怎么办理,人社局,', '3,GD-C-3,2026/12/6 9:20,求助,丙,独居老人无人照料,,']);
    const before = await countOf('cases');
    const results = await Promise.all([1, 2, 3].map(() => run(duty, { fileName: 'same.csv', contentBase64: b64(file), departmentId: fallback })));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as any[];
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(bodies.reduce((n, b) => n + b.imported, 0)).toBe(3);
    expect(bodies.reduce((n, b) => n + b.duplicates, 0)).toBe(6);
    expect((await countOf('cases')) - before).toBe(3);
    const third = await f.db.selectFrom('cases').select('lead_department_id').where('origin_note', 'like', '%GD-C-3%').executeTakeFirstOrThrow();
    expect(third.lead_department_id).toBe(fallback);
  });

  it('refuses bad rows with the reason and the row number, imports the good ones, and counts a repeat inside the file as a duplicate', async () => {
    const file = csv([
      '1,GD-R-1,2026/12/6 10:00,投诉,甲,楼道堆物,住建局,',
      '2,,2026/12/6 10:00,投诉,乙,没有编号,住建局,',
      '3,GD-R-3,昨天下午,投诉,丙,时间不对,住建局,',
      '4,GD-R-4,2026/12/6 10:00,投诉,丁,,住建局,',
      '5,GD-R-5,2026/12/6 10:00,投诉,戊,承办单位不认识,县自来水公司,',
      '6,GD-R-1,2026/12/6 10:00,投诉,甲,楼道堆物（重复）,住建局,',
    ]);
    const res = await run(duty, { fileName: 'bad.csv', contentBase64: b64(file) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ rowsTotal: 6, imported: 1, duplicates: 1, refused: 4 });
    expect(body.refusedRows.map((r: any) => [r.row, r.reasonZh])).toEqual([
      [3, '缺少工单编号'],
      [4, '受理时间“昨天下午”无法识别'],
      [5, '缺少诉求内容'],
      [6, '承办单位“县自来水公司”不在部门列表中，且未选择默认承办单位'],
    ]);
    expect(body.refusedRows.every((r: any) => r.reason.length > 0)).toBe(true);
    const history = (await (await f.requestAs(duty, 'GET', '/api/imports')).json()) as any;
    expect(history.imports[0]).toMatchObject({ id: body.id, fileName: 'bad.csv', imported: 1, duplicates: 1, refused: 4 });
    expect(history.imports[0].refusedRows).toHaveLength(4);
    expect(history.imports[0].createdBy).toBeTruthy();
  });

  it('refuses a mapping without the required columns, or beyond the file, or an unknown default department, with 400', async () => {
    const body = { fileName: 'x.csv', contentBase64: b64(ticketExportCsv()) };
    const noContent = await run(duty, { ...body, mapping: { ...MAPPING, content: -1 } });
    expect(noContent.status).toBe(400);
    expect((await errorOf(noContent)).messageZh).toContain('诉求内容');
    expect((await run(duty, { ...body, mapping: { ...MAPPING, title: 40 } })).status).toBe(400);
    expect((await run(duty, { ...body, mapping: { ...MAPPING, title: 5 } })).status).toBe(400);
    expect((await run(duty, { ...body, departmentId: 999_999 })).status).toBe(400);
  });

  it('remembers the mapping per origin for a file with the same headers', async () => {
    const res = await f.requestAs(duty, 'POST', '/api/imports/preview', { fileName: 'again.csv', contentBase64: b64(ticketExportCsv()), origin: 'hotline' });
    expect(((await res.json()) as any).mappingFrom).toBe('saved');
  });
});

describe('import as items for triage', () => {
  it('puts the rows through the intake pipeline on a 领导信箱 import source, without the 诉求人; a re-import is all duplicates', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('来信');
    ws.addRow(['信件编号', '信件标题', '来信内容', '来信时间', '姓名']);
    ws.addRow(['XX-001', '城南小区停水', '城南小区停水三天，物业不管。', new Date('2026-12-06T08:30:00Z'), '孙某']);
    ws.addRow(['XX-002', { richText: [{ text: '学校' }, { text: '门口拥堵' }] }, '实验小学门口早高峰拥堵。', '2026年12月6日 9时05分', '周某']);
    const file = b64(Buffer.from(await wb.xlsx.writeBuffer()));
    const preview = (await (await f.request('POST', '/api/imports/preview', { fileName: 'mail.xlsx', contentBase64: file, origin: 'mailbox' })).json()) as any;
    expect(preview.mapping).toMatchObject({ ticketNo: 0, title: 1, content: 2, receivedAt: 3, requester: 4 });
    const res = await f.request('POST', '/api/imports', { fileName: 'mail.xlsx', contentBase64: file, origin: 'mailbox', mode: 'item', mapping: preview.mapping });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ imported: 2, duplicates: 0, refused: 0, cases: [] });
    const source = await f.db.selectFrom('sources').selectAll().where('name', '=', '领导信箱（导入）').executeTakeFirstOrThrow();
    expect(source).toMatchObject({ kind: 'intake', media_type: 'mailbox' });
    const items = await f.db.selectFrom('items').selectAll().where('source_id', '=', source.id).orderBy('published_at').execute();
    expect(items.map((i) => [i.title, i.published_at.toISOString()])).toEqual([
      ['城南小区停水', '2026-12-06T00:30:00.000Z'],
      ['学校门口拥堵', '2026-12-06T01:05:00.000Z'],
    ]);
    expect(items.every((i) => i.story_id !== null && i.author === '')).toBe(true);
    const tickets = await f.db.selectFrom('import_tickets').selectAll().where('origin', '=', 'mailbox').execute();
    expect(tickets.map((t) => t.item_key)).toEqual(items.map((i) => i.url_key));
    const again = (await (await f.request('POST', '/api/imports', { fileName: 'mail.xlsx', contentBase64: file, origin: 'mailbox', mode: 'case', mapping: preview.mapping, departmentId: fallback })).json()) as any;
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it('reads a GBK csv with quoted line breaks as items', async () => {
    const text = '工单编号,受理时间,诉求内容\r\nGBK-1,2026-12-06 11:00:00,"第一行\r\n第二行，城东路灯不亮"\r\n';
    const res = await f.request('POST', '/api/imports', { fileName: 'gbk.csv', contentBase64: b64(iconv.encode(text, 'gbk')), origin: 'hotline', mode: 'item', mapping: { ticketNo: 0, receivedAt: 1, content: 2, title: -1, requester: -1, department: -1, deadline: -1, requestType: -1 } });
    expect(await res.json()).toMatchObject({ imported: 1 });
    const item = await f.db.selectFrom('items').selectAll().where('guid', '=', 'GBK-1').executeTakeFirstOrThrow();
    expect(item.text).toContain('城东路灯不亮');
    expect(item.title).toBe('第一行 第二行，城东路灯不亮');
  });
});

describe('who may import', () => {
  it('is duty officers and admins only', async () => {
    const body = { fileName: 'x.csv', contentBase64: b64(ticketExportCsv()), origin: 'hotline' };
    for (const role of ['handler', 'reviewer', 'leader'] as const) {
      const who = await sessionFor(f.db, await createUser(f.db, { role, departmentId: depts['住建局'] }), NOW);
      expect((await f.requestAs(who, 'POST', '/api/imports/preview', body)).status).toBe(403);
      expect((await f.requestAs(who, 'POST', '/api/imports', { ...body, mode: 'case', mapping: MAPPING })).status).toBe(403);
      expect((await f.requestAs(who, 'GET', '/api/imports')).status).toBe(403);
    }
    expect((await f.requestAs(null, 'GET', '/api/imports')).status).toBe(401);
  });
});
