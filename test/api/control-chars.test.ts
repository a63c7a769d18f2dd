import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';

// NUL (and the other C0 control characters but tab, newline and carriage return) in any query
// parameter, path segment or JSON string is refused with 400 before anything reaches Postgres,
// which cannot store NUL in text and answered 500.

let f: ApiFixture;
let deptId: number;

beforeAll(async () => {
  f = await createApiFixture('control-chars');
  deptId = (await f.newDepartment({ name: '水务局' })).id;
});
afterAll(async () => {
  await f.tdb.drop();
});

async function expectRefused(res: Response, field: string) {
  expect(res.status).toBe(400);
  const e = await errorOf(res);
  expect(e.code).toBe('VALIDATION');
  expect(e.messageZh).toContain('控制字符');
  expect(e.message).toContain('control character');
  expect(e.details.issues[0].path).toBe(field);
}

const manual = (title: string, text = '') => ({
  level: 'general',
  category: 'difficulty',
  leadDepartmentId: deptId,
  coDepartmentIds: [],
  manual: { origin: 'hotline', title, text, receivedAt: '2026-11-24T01:30:00Z' },
});

describe('control characters in API input', () => {
  it('a NUL in the item search box is a 400, not a 500', async () => {
    await expectRefused(await f.request('GET', '/api/items?q=%E6%8B%86%00%E8%BF%81'), 'q');
    expect((await f.request('GET', '/api/items?q=%E6%8B%86%E8%BF%81')).status).toBe(200);
  });

  it('a NUL in a case title is a 400; tab and newlines in its text are kept', async () => {
    await expectRefused(await f.request('POST', '/api/cases', manual('网民反映\u0000停水')), 'manual.title');
    await expectRefused(await f.request('POST', '/api/cases', manual('网民反映停水', '连续\u0007三天')), 'manual.text');
    const ok = await f.request('POST', '/api/cases', manual('网民反映停水', '连续三天停水\r\n\t第二段'));
    expect(ok.status).toBe(201);
    expect((await ok.json()).items[0].text).toContain('\t第二段');
  });

  it('a NUL in a source name is a 400', async () => {
    await expectRefused(await f.request('POST', '/api/sources', { name: '永济\u0000新闻网', url: 'https://news.example.cn/rss.xml', kind: 'feed' }), 'name');
  });

  it('a NUL in a monitoring rule (name or expression) is a 400', async () => {
    await expectRefused(await f.request('POST', '/api/rules', { name: '拆迁\u0000补偿', expression: '拆迁+补偿' }), 'name');
    await expectRefused(await f.request('POST', '/api/rules', { name: '拆迁补偿', expression: '拆迁+补\u0000偿' }), 'expression');
    await expectRefused(await f.request('POST', '/api/rules/test', { expression: '拆迁\u0000' }), 'expression');
  });

  it('a CSV export with a NUL in its filter is refused with 400 before its first byte', async () => {
    await f.request('POST', '/api/cases', manual('城西化工厂异味'));
    const res = await f.request('GET', '/api/cases/export?format=csv&q=%E5%8C%96%00');
    await expectRefused(res, 'q');
    const good = await f.request('GET', '/api/cases/export?format=csv&q=%E5%8C%96%E5%B7%A5');
    expect(good.status).toBe(200);
    const csv = await good.text();
    expect(csv).toContain('城西化工厂异味');
  });

  it('a NUL in a path segment is a 400', async () => {
    await expectRefused(await f.request('GET', '/api/sources/1%00'), 'path');
  });
});

describe('control characters on every route of the OpenAPI document', () => {
  it('a NUL in a query parameter or a JSON string is a 400 on every route, never a 500', async () => {
    const doc = (await (await f.request('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const tried: string[] = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      const path = template.replace(/\{[^}]+\}/g, '1');
      for (const method of Object.keys(ops).map((m) => m.toUpperCase())) {
        const query = await f.request(method, `${path}?q=%00`, method === 'GET' || method === 'DELETE' ? undefined : {});
        expect(query.status, `${method} ${template}?q=NUL`).toBe(400);
        if (method !== 'GET' && method !== 'DELETE') {
          const body = await f.request(method, path, { name: 'a\u0000b', title: 'x', text: 'y' });
          expect(body.status, `${method} ${template} with a NUL in the body`).toBe(400);
          expect((await errorOf(body)).details.issues[0].path).toBe('name');
        }
        tried.push(`${method} ${template}`);
      }
    }
    expect(tried.length).toBeGreaterThan(50);
  });
});
