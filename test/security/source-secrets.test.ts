import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, sessionFor, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, type ApiFixture } from '../helpers/app.js';

// A JSON source's request headers often carry the endpoint's credential (Authorization, Cookie, an
// API key). They were returned to every duty officer by GET /api/sources and kept in clear in the
// audit rows (which leaders read too). Now only admins, who edit them, see the values; the audit
// keeps *** with a short fingerprint, so a change still shows.

const SECRET = 'Bearer s3cr3t-9f8e7d6c5b4a';
const COOKIE = 'SESSIONID=abcdef0123456789';
let f: ApiFixture;
let duty: SignedIn;
let leader: SignedIn;
let id = 0;

const mapping = { list: 'data.list', title: 'subject', link: 'url', linkTemplate: null, date: '', text: '', author: '' };
const json = (headers: Record<string, string>) => ({ method: 'POST', bodyType: 'form', body: 'page={page}', pages: 1, headers, mapping });

beforeAll(async () => {
  f = await createApiFixture('secsourcesecrets');
  duty = await sessionFor(f.db, await createUser(f.db, { role: 'duty' }));
  leader = await sessionFor(f.db, await createUser(f.db, { role: 'leader' }));
  const res = await f.request('POST', '/api/sources', {
    name: '网上留言板',
    url: 'https://liuyan.example.cn/api/list',
    kind: 'json',
    mediaType: 'mailbox',
    json: json({ Authorization: SECRET, Cookie: COOKIE, 'X-Requested-With': 'XMLHttpRequest' }),
  });
  expect(res.status).toBe(201);
  id = ((await res.json()) as { id: number }).id;
  expect((await f.request('PATCH', `/api/sources/${id}`, { json: json({ Authorization: `${SECRET}-rotated`, Cookie: COOKIE }) })).status).toBe(200);
});
afterAll(async () => {
  await f?.tdb.drop();
});

describe('JSON source header values', () => {
  it('are shown to admins, who edit them', async () => {
    const one = (await (await f.request('GET', `/api/sources/${id}`)).json()) as { json: { headers: Record<string, string> } };
    expect(one.json.headers).toEqual({ Authorization: `${SECRET}-rotated`, Cookie: COOKIE });
  });

  it('are masked for a duty officer, in the list and the single source (were in clear)', async () => {
    const list = await f.requestAs(duty, 'GET', '/api/sources');
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('abcdef0123456789');
    const one = (await (await f.requestAs(duty, 'GET', `/api/sources/${id}`)).json()) as { json: { headers: Record<string, string>; method: string } };
    expect(one.json.headers).toEqual({ Authorization: '***', Cookie: '***' });
    expect(one.json.method).toBe('POST');
  });

  it('are never in the audit rows, which still show that a value changed (were in clear)', async () => {
    const rows = await f.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity', '=', 'source').where('entity_id', '=', String(id)).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['source.create', 'source.update']);
    expect(JSON.stringify(rows)).not.toContain('s3cr3t');
    expect(JSON.stringify(rows)).not.toContain('abcdef0123456789');
    const update = rows[1]! as { before: { json: { headers: Record<string, string> } }; after: { json: { headers: Record<string, string> } } };
    expect(update.after.json.headers.Authorization).toMatch(/^\*\*\* \(sha256 [0-9a-f]{16}\)$/);
    expect(update.after.json.headers.Authorization).not.toBe(update.before.json.headers.Authorization);
    expect(update.after.json.headers.Cookie).toBe(update.before.json.headers.Cookie);
    const audit = await f.requestAs(leader, 'GET', '/api/audit?limit=100');
    expect(audit.status).toBe(200);
    expect(await audit.text()).not.toContain('s3cr3t');
  });
});
