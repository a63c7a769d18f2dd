import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../api/helpers.js';
import { createFixture, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { paragraphs, part, unzip } from './helpers.js';

// 单位信息 and the 期号: the profile is read by reviewers, leaders and admins and written (audited)
// by an admin; every notice is written with it; an issued notice takes the next number of its kind
// in the year — in issue order, never reused, never skipped, also when issued concurrently.

const NOW = new Date('2026-12-07T02:00:00Z');
let f: Fixture;
let admin: TestUser;
let reviewer: TestUser;
let leader: TestUser;

const PROFILE = {
  organ: '清河市人民政府办公室',
  mark: '清河市政务舆情通报',
  serialFormats: { weekly: '〔{年}〕第{号}期', monthly: '〔{年}〕月报第{号}期', quarterly: '〔{年}〕季报第{号}期', range: '〔{年}〕专报第{号}期' },
  recipients: '各乡镇人民政府、街道办事处，市直各部门：',
  copyTo: '市委办公室。',
  printingOrgan: '清河市人民政府办公室',
  signature: '清河市人民政府办公室',
  disclosure: 'public',
  rectificationTo: '市政府办公室政务公开科',
};

beforeAll(async () => {
  f = await createFixture('office_profile', NOW);
  admin = await makeUser(f, 'admin', null, '管理员');
  reviewer = await makeUser(f, 'reviewer', null, '王审核');
  leader = await makeUser(f, 'leader');
});
afterAll(async () => {
  await f.tdb.drop();
});

async function draft(week: string): Promise<string> {
  const r = await f.as(reviewer, 'POST', '/api/reports/weekly', { week });
  expect(r.status).toBe(201);
  return (await r.json()).id;
}

async function issue(id: string): Promise<Response> {
  return f.as(leader, 'POST', `/api/reports/${id}/issue`);
}

describe('the office profile', () => {
  it('starts with a usable default, is changed by an admin only, with an audit row', async () => {
    const before = await (await f.as(reviewer, 'GET', '/api/office-profile')).json();
    expect(before).toMatchObject({ organ: '政务舆情回应工作办公室', mark: '政务舆情通报', disclosure: 'on_request', disclosureLabel: '依申请公开' });
    expect((await f.as(reviewer, 'PUT', '/api/office-profile', PROFILE)).status).toBe(403);
    const put = await f.as(admin, 'PUT', '/api/office-profile', PROFILE);
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ ...PROFILE, disclosureLabel: '主动公开', updatedBy: '管理员', updatedAt: NOW.toISOString() });
    expect(await (await f.as(leader, 'GET', '/api/office-profile')).json()).toMatchObject(PROFILE);
    const audit = await f.db.selectFrom('audit_log').select(['action', 'actor_id', 'before', 'after']).where('entity', '=', 'office_profile').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'office_profile.update', actor_id: admin.id, before: { organ: '政务舆情回应工作办公室' }, after: { organ: '清河市人民政府办公室', mark: '清河市政务舆情通报' } });
  });

  it('refuses a 期号 scheme without its number, in Chinese and English', async () => {
    const r = await f.as(admin, 'PUT', '/api/office-profile', { ...PROFILE, serialFormats: { ...PROFILE.serialFormats, weekly: '〔{年}〕第期' } });
    expect(r.status).toBe(400);
    const e = await errorOf(r);
    expect(e.messageZh).toContain('{号}');
    expect((await (await f.as(admin, 'GET', '/api/office-profile')).json()).serialFormats.weekly).toBe('〔{年}〕第{号}期');
  });

  it('writes a draft with the mark, （未编号）, 主送 and the 整改 office from the profile', async () => {
    const id = await draft('2026-W45');
    const r = await (await f.as(reviewer, 'GET', `/api/reports/${id}`)).json();
    expect(r.serial).toBeNull();
    const doc = await part(await unzip(await (await f.as(reviewer, 'GET', `/api/reports/${id}/file`)).arrayBuffer()), 'word/document.xml');
    const ps = paragraphs(doc);
    expect(ps.slice(0, 3)).toEqual(['清河市政务舆情通报', '（未编号）', '关于2026年第45周政务舆情回应情况的通报']);
    expect(ps).toContain('各乡镇人民政府、街道办事处，市直各部门：');
    expect(ps).toContain('（此件主动公开）');
    expect(ps).toContain('2026年12月7日');
    expect(ps.some((p) => p.includes('抄送：市委办公室。'))).toBe(false); // 版记 cells are in a table
    expect(doc).toContain('抄送：市委办公室。');
    expect(doc).toContain('2026年12月7日印发');
  });
});

describe('期号', () => {
  it('numbers issued notices per kind in issue order: 1, 2; a refused issue takes no number', async () => {
    const a = await draft('2026-W47');
    const b = await draft('2026-W46');
    const first = await issue(a);
    expect(first.status).toBe(200);
    expect((await first.json()).serial).toBe('〔2026〕第1期');
    expect((await issue(a)).status).toBe(409);
    const second = await issue(b);
    expect((await second.json()).serial).toBe('〔2026〕第2期');
    const doc = await part(await unzip(await (await f.as(reviewer, 'GET', `/api/reports/${b}/file`)).arrayBuffer()), 'word/document.xml');
    expect(paragraphs(doc).slice(0, 2)).toEqual(['清河市政务舆情通报', '〔2026〕第2期']);
    // A monthly notice has its own sequence and scheme.
    const m = await f.as(reviewer, 'POST', '/api/reports/monthly', { month: '2026-11' });
    expect((await (await issue((await m.json()).id)).json()).serial).toBe('〔2026〕月报第1期');
    const audit = await f.db.selectFrom('audit_log').select(['after']).where('action', '=', 'report.issue').orderBy('id').execute();
    expect(audit.map((r) => (r.after as { serial: string }).serial)).toEqual(['〔2026〕第1期', '〔2026〕第2期', '〔2026〕月报第1期']);
  });

  it('issued concurrently, notices take consecutive numbers, none twice', async () => {
    const ids = [await draft('2026-W40'), await draft('2026-W41'), await draft('2026-W42'), await draft('2026-W43'), await draft('2026-W44')];
    const answers = await Promise.all([...ids, ...ids].map((id) => issue(id)));
    const ok = answers.filter((r) => r.status === 200);
    expect(ok).toHaveLength(5);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(5);
    const serials = (await Promise.all(ok.map((r) => r.json()))).map((r) => r.serial).sort();
    expect(serials).toEqual(['〔2026〕第3期', '〔2026〕第4期', '〔2026〕第5期', '〔2026〕第6期', '〔2026〕第7期']);
    const rows = await sql<{ serial_no: number }>`select serial_no from reports where kind = 'weekly' and status = 'issued' order by serial_no`.execute(f.db);
    expect(rows.rows.map((r) => r.serial_no)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
