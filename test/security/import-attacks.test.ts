import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../core/ticket-import.js';
import { createUser, sessionFor, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';

// An outside tester's attacks on 管理 → 导入 (12345 / 领导信箱 exports) and on JSON input:
// - spreadsheet bombs: a few hundred KB of .xlsx that inflate to hundreds of MB, a sheet of tens of
//   thousands of tiny rows, cells in column XFD — exceljs reads a workbook wholly into memory (a
//   516 KB file took the server's 1 GB heap down), so the archive is measured first and refused 400;
// - a CSV of a million columns: 400, not a 5-second parse and an 8 MB preview;
// - NUL / control characters and unpaired surrogates in a header cell reached jsonb (the audit row,
//   the saved header profile): 500; now cleaned;
// - an unpaired surrogate in any JSON string ("\ud800") reached jsonb audit rows: 500; now 400.
// Each also checks that an ordinary file still goes through.

const NOW = new Date('2026-12-07T02:00:00.000Z');
let f: ApiFixture;
let duty: SignedIn;

beforeAll(async () => {
  f = await createApiFixture('secimport', { now: () => NOW });
  duty = await sessionFor(f.db, await createUser(f.db, { role: 'duty' }), NOW);
});
afterAll(async () => {
  await f?.tdb.drop();
});

const b64 = (b: Buffer) => b.toString('base64');
const MAPPING = { ticketNo: 0, receivedAt: 1, content: 2, title: -1, requester: -1, department: -1, deadline: -1, requestType: -1 };

/** A zip of these entries, deflated (stored when `stored`), as any spreadsheet program writes one. */
function zip(entries: { name: string; data: Buffer; stored?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.stored ? e.data : deflateRawSync(e.data, { level: 9 });
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6);
    head.writeUInt16LE(e.stored ? 0 : 8, 8);
    head.writeUInt32LE(crc32(e.data), 14);
    head.writeUInt32LE(body.length, 18);
    head.writeUInt32LE(e.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.stored ? 0 : 8, 10);
    central.writeUInt32LE(crc32(e.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(head, name, body);
    centrals.push(central, name);
    offset += head.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;

/** A minimal .xlsx whose first sheet holds `sheetData` (rows of XML), with `pad` before it. */
function workbook(sheetData: string, pad = ''): Buffer {
  const x = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`, 'utf8');
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  return zip([
    {
      name: '[Content_Types].xml',
      data: x(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: x('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    },
    { name: 'xl/workbook.xml', data: x(`<workbook ${ns}><sheets><sheet name="工单" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: x('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    },
    { name: 'xl/worksheets/sheet1.xml', data: x(`<worksheet ${ns}>${pad}<sheetData>${sheetData}</sheetData></worksheet>`) },
  ]);
}

const HEADER_ROW = `<row r="1">${cell('A1', '工单编号')}${cell('B1', '受理时间')}${cell('C1', '诉求内容')}</row>`;
const ticketRow = (r: number, no: string, content: string) => `<row r="${r}">${cell(`A${r}`, no)}${cell(`B${r}`, '2026-12-05 08:00')}${cell(`C${r}`, content)}</row>`;

const preview = (content: Buffer, fileName = '工单.xlsx') => f.requestAs(duty, 'POST', '/api/imports/preview', { fileName, contentBase64: b64(content), origin: 'hotline' });
const run = (content: Buffer, fileName = '工单.xlsx') => f.requestAs(duty, 'POST', '/api/imports', { fileName, contentBase64: b64(content), origin: 'hotline', mode: 'item', mapping: MAPPING });

async function refused(res: Response, zh: RegExp) {
  expect(res.status).toBe(400);
  const e = await errorOf(res);
  expect(e.code).toBe('VALIDATION');
  expect(e.messageZh).toMatch(zh);
  expect(e.message.length).toBeGreaterThan(0);
}

describe('spreadsheet bombs are refused before the workbook is read', () => {
  it('an ordinary workbook written the same way is read (the control)', async () => {
    const res = await preview(workbook(HEADER_ROW + ticketRow(2, 'BOMB-0', '路灯不亮')));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { headers: string[]; rows: string[][] };
    expect(body.headers).toEqual(['工单编号', '受理时间', '诉求内容']);
    expect(body.rows[0]![2]).toBe('路灯不亮');
  });

  it('a workbook of a few hundred KB that inflates past 40 MB: 400, nothing stored', async () => {
    const bomb = workbook(HEADER_ROW + ticketRow(2, 'BOMB-1', '内容'), `<!--${'A'.repeat(64 * 1024 * 1024)}-->`);
    expect(bomb.length).toBeLessThan(200 * 1024);
    await refused(await preview(bomb), /工作簿过大.*解压后超过 40 MB/);
    const before = await f.db.selectFrom('ticket_imports').select('id').execute();
    await refused(await run(bomb), /工作簿过大/);
    expect(await f.db.selectFrom('ticket_imports').select('id').execute()).toEqual(before);
  });

  it('parts are measured together: five that inflate to 10 MB each', async () => {
    const parts = Array.from({ length: 5 }, (_, i) => ({ name: `xl/media/pad${i}.xml`, data: Buffer.alloc(10 * 1024 * 1024, 0x20) }));
    await refused(await preview(zip(parts)), /解压后超过 40 MB/);
  });

  it('a sheet of tens of thousands of tiny rows is refused by counting, not by reading it', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>1</v></c></row>`).join('');
    await refused(await preview(workbook(HEADER_ROW + rows)), /工作表共超过 20000 行/);
  });

  it('cells far to the right (column XFD) are refused: exceljs would keep 16384-wide rows', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `<row r="${i + 2}">${cell(`A${i + 2}`, `X-${i}`)}${cell(`XFD${i + 2}`, 'x')}</row>`).join('');
    await refused(await preview(workbook(HEADER_ROW + rows)), /文件超过 200 列/);
  });

  it('a CSV of a million columns: 400 at once, not a preview of a million headers', async () => {
    const wide = Buffer.from(`${'列,'.repeat(1_000_000)}\n${'a,'.repeat(10)}\n`, 'utf8');
    await refused(await preview(wide, 'wide.csv'), /文件超过 200 列/);
    // 200 columns is still a file.
    const ok = Buffer.from(`工单编号,受理时间,诉求内容${',备注'.repeat(197)}\nW-1,2026-12-05 08:00,内容\n`, 'utf8');
    expect((await preview(ok, 'ok.csv')).status).toBe(200);
  });

  it('a CSV of millions of one-letter rows stops being read past the limit (it took some 500 MB read whole)', async () => {
    const tall = Buffer.from('a\n'.repeat(2_600_000), 'utf8');
    await refused(await preview(tall, 'tall.csv'), /文件超过 2000 行/);
    // The reader itself stops one row past the limit (and one field past the column limit).
    expect(readCsv(tall.toString('utf8'), { rows: 2001, columns: 200 })).toHaveLength(2002);
    expect(readCsv(`${'x,'.repeat(100_000)}\n`, { rows: 2001, columns: 200 })[0]).toHaveLength(201);
  });
});

describe('what Postgres cannot store never reaches it from a file', () => {
  it('NUL and control characters in a header cell: previewed and imported (were 500)', async () => {
    const csv = Buffer.from('工单编号,受理时间,诉求内容\u0000\u0007备注\nNUL-1,2026-12-05 08:00,井盖缺失\n', 'utf8');
    const p = await preview(csv, 'nul.csv');
    expect(p.status).toBe(200);
    expect(((await p.json()) as { headers: string[] }).headers).toEqual(['工单编号', '受理时间', '诉求内容备注']);
    const r = await run(csv, 'nul.csv');
    expect(r.status).toBe(201);
    expect(((await r.json()) as { imported: number }).imported).toBe(1);
  });

  it('an unpaired surrogate in a workbook cell becomes U+FFFD (was 500 in the audit row)', async () => {
    const xlsx = workbook(`<row r="1">${cell('A1', '工单编号')}${cell('B1', '受理时间')}${cell('C1', '诉求内容')}<c r="D1" t="inlineStr"><is><t>备注&#xD800;</t></is></c></row>${ticketRow(2, 'SUR-1', '内容')}`);
    const p = await preview(xlsx);
    // exceljs may refuse the character reference outright; either way never a 500.
    expect([200, 400]).toContain(p.status);
    if (p.status === 200) expect(((await p.json()) as { headers: string[] }).headers[3]).toBe('备注\ufffd');
  });
});

describe('unpaired surrogates in JSON', () => {
  it('are refused with 400 naming the field, on the import and on other routes (were 500)', async () => {
    const csv = b64(Buffer.from('工单编号,受理时间,诉求内容\nU-1,2026-12-05 08:00,内容\n', 'utf8'));
    const raw = `{"fileName":"a\\ud800.csv","contentBase64":"${csv}","origin":"hotline"}`;
    const res = await f.requestAs(duty, 'POST', '/api/imports/preview', raw);
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.details?.issues?.[0]?.path ?? e.message).toMatch(/fileName/);
    expect(e.messageZh).toContain('不成对的代理项');
    const c = await f.newCase({ lead: (await f.newDepartment()).id, clockStartedAt: NOW, title: '代理项测试' });
    const patch = await f.request('PATCH', `/api/cases/${c.id}`, '{"title":"\\udc00标题"}');
    expect(patch.status).toBe(400);
    // A surrogate pair (an emoji) is of course fine.
    expect((await f.request('PATCH', `/api/cases/${c.id}`, { title: '标题 😀' })).status).toBe(200);
  });
});

describe('a hand-registered opinion received in year 1', () => {
  it('is refused with 400 (was a 500 from the working-day calendar; 1985 was taken, its clock decades overdue)', async () => {
    const lead = (await f.newDepartment({ name: '信访局' })).id;
    const open = (receivedAt: string) =>
      f.requestAs(duty, 'POST', '/api/cases', {
        manual: { origin: 'hotline', title: '来电反映路灯不亮', text: '城东路灯不亮。', receivedAt, requestType: 'help' },
        level: 'general',
        category: 'difficulty',
        leadDepartmentId: lead,
      });
    for (const at of ['0001-01-01T00:00:00Z', '1985-06-01T08:00:00+08:00']) {
      const res = await open(at);
      expect({ at, status: res.status }).toEqual({ at, status: 400 });
      expect((await errorOf(res)).messageZh).toContain('受理时间不能早于 1990 年');
    }
    expect((await open('2026-12-07T08:00:00+08:00')).status).toBe(201);
  });
});
