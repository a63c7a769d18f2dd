import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../server/app.js';
import { createUser, sessionFor, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, errorOf, makeCase, makeDepartment, type ApiFixture } from '../helpers/app.js';

// Input validation of the workflow API: ids, limits, body size, free-text lengths, URLs, and
// back-dated times that would fake an on-time response.

const NOW = new Date('2026-11-25T08:00:00Z');
const H = 3_600_000;
let f: ApiFixture;
let handler: SignedIn;
let reviewer: SignedIn;
let duty: SignedIn;
let lead: number;

beforeAll(async () => {
  f = await createApiFixture('review_validation', { now: () => NOW });
  lead = await makeDepartment(f, '水务局');
  handler = await sessionFor(f.db, await createUser(f.db, { role: 'handler', departmentId: lead }), NOW);
  reviewer = await sessionFor(f.db, await createUser(f.db, { role: 'reviewer' }), NOW);
  duty = await sessionFor(f.db, await createUser(f.db, { role: 'duty' }), NOW);
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('ids and limits', () => {
  it('answers 400 VALIDATION (never 500) to ids that are not positive integers', async () => {
    for (const id of ['abc', '-1', '0', '1.5', '1e3', '99999999999999999999', '%20']) {
      for (const path of [`/api/cases/${id}`, `/api/cases/${id}/responses`, `/api/cases/${id}/feedback`, `/api/cases/${id}/heat`, `/api/cases/${id}/escalations`]) {
        const res = await f.request('GET', path);
        expect([path, res.status]).toEqual([path, 400]);
        expect((await errorOf(res)).code).toBe('VALIDATION');
      }
    }
    const r = await f.request('POST', '/api/cases/1/responses/x/submit');
    expect(r.status).toBe(403); // admin may not submit: the role check comes first
    const s = await f.requestAs(handler, 'POST', '/api/cases/1/responses/x/submit');
    expect(s.status).toBe(400);
  });

  it('refuses zero, negative, huge and non-numeric limits', async () => {
    for (const path of ['/api/cases', '/api/notifications', '/api/audit']) {
      for (const limit of ['0', '-5', '100000', 'abc', '1.5']) {
        const res = await f.request('GET', `${path}?limit=${limit}`);
        expect([path, limit, res.status]).toEqual([path, limit, 400]);
      }
      expect((await f.request('GET', `${path}?limit=2`)).status).toBe(200);
    }
    expect((await f.request('GET', '/api/cases?cursor=not-a-cursor')).status).toBe(400);
    expect((await f.request('GET', '/api/audit?cursor=bm9wZQ')).status).toBe(400);
  });
});

describe('body size', () => {
  it('refuses a body over the limit with 413 in the usual error shape, before reading it', async () => {
    const caseId = await makeCase(f, { lead, clockStartedAt: NOW });
    const big = JSON.stringify({ body: 'x'.repeat(MAX_BODY_BYTES + 10) });
    const res = await f.requestAs(handler, 'POST', `/api/cases/${caseId}/responses`, big);
    expect(res.status).toBe(413);
    const err = await errorOf(res);
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', messageZh: expect.stringContaining('请求内容过大'), requestId: expect.any(String) });
    // Also when the client sends no Content-Length (a stream): counted while reading.
    const stream = new ReadableStream<Uint8Array>({
      start(ctrl) {
        ctrl.enqueue(new TextEncoder().encode(big));
        ctrl.close();
      },
    });
    const chunked = await f.app.request(`/api/cases/${caseId}/responses`, {
      method: 'POST',
      headers: handler.headers({ 'content-type': 'application/json' }),
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await f.db.selectFrom('responses').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
  });

  it('still accepts ordinary bodies, and free text is capped by the schema', async () => {
    const caseId = await makeCase(f, { lead, clockStartedAt: NOW });
    const ok = await f.requestAs(handler, 'POST', `/api/cases/${caseId}/responses`, { body: '回'.repeat(20_000) });
    expect(ok.status).toBe(201);
    const long = await f.requestAs(handler, 'POST', `/api/cases/${caseId}/responses`, { body: '回'.repeat(20_001) });
    expect(long.status).toBe(400);
    const fb = await f.requestAs(handler, 'POST', `/api/cases/${caseId}/feedback`, { kind: 'reaction', body: 'x'.repeat(10_001) });
    expect(fb.status).toBe(400);
    const co = await f.requestAs(handler, 'POST', `/api/cases/${caseId}/coordinations`, { content: 'x'.repeat(20_001) });
    expect(co.status).toBe(400);
  });
});

describe('escalation records', () => {
  it('refuse unknown fields like every other write', async () => {
    const caseId = await makeCase(f, { lead, clockStartedAt: NOW });
    const r = await f.requestAs(duty, 'POST', `/api/cases/${caseId}/reports-up`, { recipient: '县委办', content: '情况', reportedBy: 1 });
    expect(r.status).toBe(400);
    expect((await errorOf(r)).messageZh).toContain('未知字段');
    const ref = await f.requestAs(duty, 'POST', `/api/cases/${caseId}/referrals`, { target: 'public_security', recipient: '公安局', content: '线索', referredAt: NOW.toISOString() });
    expect(ref.status).toBe(400);
    const co = await f.requestAs(handler, 'POST', `/api/cases/${caseId}/coordinations`, { content: '协调', departmentId: 9 });
    expect(co.status).toBe(400);
  });
});

describe('a back-dated publication', () => {
  it('may not predate the case being first seen (it would meet the deadline "on time")', async () => {
    const clock = new Date(NOW.getTime() - 60 * H);
    const caseId = await makeCase(f, { lead, clockStartedAt: clock });
    const base = `/api/cases/${caseId}/responses`;
    const rid = ((await (await f.requestAs(handler, 'POST', base, { body: '回应' })).json()) as { id: string }).id;
    expect((await f.requestAs(handler, 'POST', `${base}/${rid}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    expect((await f.requestAs(reviewer, 'POST', `${base}/${rid}/approve`)).status).toBe(200);
    const early = await f.requestAs(handler, 'POST', `${base}/${rid}/publish`, { channel: 'website', publishedAt: new Date(clock.getTime() - H).toISOString() });
    expect(early.status).toBe(400);
    expect((await errorOf(early)).messageZh).toContain('早于事件发现时间');
    const ob = await f.db.selectFrom('obligations').select(['status']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(ob.status).toBe('open');
    // Approved at the clock's start: a publication then, recorded 60 h later, is a 补录 only a reviewer records.
    await f.db.updateTable('responses').set({ reviewed_at: clock, submitted_at: clock }).where('id', '=', rid).execute();
    const ok = await f.requestAs(reviewer, 'POST', `${base}/${rid}/publish`, { channel: 'website', publishedAt: clock.toISOString() });
    expect(ok.status).toBe(200);
  });
});

describe('a hand-registered opinion', () => {
  it('keeps only an http(s) link as evidence (no javascript: or data: URLs for the dashboard to render)', async () => {
    const manual = (url: string) => ({
      manual: { origin: 'hotline', title: '来电反映停水', text: '正文', url, receivedAt: NOW.toISOString() },
      level: 'general',
      category: 'difficulty',
      leadDepartmentId: lead,
    });
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'not a url', 'ftp://example.com/x']) {
      const res = await f.requestAs(duty, 'POST', '/api/cases', manual(url));
      expect([url, res.status]).toEqual([url, 400]);
    }
    for (const url of ['', 'https://www.yongji.gov.cn/x?id=1']) {
      const res = await f.requestAs(duty, 'POST', '/api/cases', manual(url));
      expect([url, res.status]).toEqual([url, 201]);
      const body = (await res.json()) as { items: { url: string }[] };
      expect(body.items[0].url).toBe(url);
    }
  });
});
