import { describe, expect, it } from 'vitest';
import { dateText, fillLinkTemplate, pageRequest, pathGet, readJsonDocument, type JsonSourceConfig } from './json-source.js';

const mapping = { list: 'data.list', title: 'subject', link: null, linkTemplate: 'https://liuyan.example.gov.cn/detail?tid={tid}', date: 'createTime', text: 'content', author: 'user.name' };

describe('JSON source mapping', () => {
  it('reads dotted and indexed paths, and nothing past a scalar', () => {
    const doc = { data: { list: [{ a: 1 }, { a: 2 }] } };
    expect(pathGet(doc, 'data.list.1.a')).toBe(2);
    expect(pathGet(doc, 'data.list[0].a')).toBe(1);
    expect(pathGet(doc, '')).toBe(doc);
    expect(pathGet(doc, 'data.list.0.a.b')).toBeUndefined();
    expect(pathGet(doc, 'constructor')).toBeUndefined();
  });

  it('reads epoch seconds and milliseconds (numbers or digit strings), and leaves other dates as text', () => {
    expect(dateText(1764900000)).toBe('2025-12-05T02:00:00.000Z');
    expect(dateText(1764900000000)).toBe('2025-12-05T02:00:00.000Z');
    expect(dateText('1764900000')).toBe('2025-12-05T02:00:00.000Z');
    expect(dateText('1764900000000')).toBe('2025-12-05T02:00:00.000Z');
    expect(dateText('2025-12-05 10:00')).toBe('2025-12-05 10:00');
    expect(dateText(null)).toBeNull();
  });

  it('fills a link template from the item, URL-encoded, and gives no link when a field is missing', () => {
    expect(fillLinkTemplate('https://x.example/d?tid={tid}&k={meta.kw}', { tid: 42, meta: { kw: '清河 水' } })).toBe('https://x.example/d?tid=42&k=%E6%B8%85%E6%B2%B3%20%E6%B0%B4');
    expect(fillLinkTemplate('https://x.example/d?tid={tid}', { id: 42 })).toBeNull();
  });

  it('maps items and counts where a path found nothing', () => {
    const doc = { data: { list: [{ tid: 1, subject: '停水', content: '三天', createTime: 1764900000000, user: { name: '甲' } }, { tid: 2, subject: '噪音', createTime: 1764900000 }] } };
    const r = readJsonDocument(doc, mapping);
    if (!r.ok) throw new Error('list not found');
    expect(r.entries[0]).toMatchObject({ title: '停水', link: 'https://liuyan.example.gov.cn/detail?tid=1', published: '2025-12-05T02:00:00.000Z', content: '三天', author: '甲' });
    expect(r.entries[1]).toMatchObject({ title: '噪音', content: '', author: null });
    expect(r.misses).toEqual([
      { field: 'text', path: 'content', missing: 1, items: 2 },
      { field: 'author', path: 'user.name', missing: 1, items: 2 },
    ]);
    expect(readJsonDocument({ data: {} }, mapping)).toEqual({ ok: false, listFound: false });
  });

  it('builds each page\'s request: {page} in the URL and the body, the body type\'s content type', () => {
    const config: JsonSourceConfig = { method: 'POST', bodyType: 'json', body: '{"page": {page}, "size": 10}', headers: {}, pages: 3, mapping };
    expect(pageRequest('https://x.example/api?p={page}', config, 2)).toEqual({
      url: 'https://x.example/api?p=2',
      method: 'POST',
      body: '{"page": 2, "size": 10}',
      contentType: 'application/json; charset=utf-8',
    });
    expect(pageRequest('https://x.example/api/%7Bpage%7D', { ...config, method: 'GET' }, 3)).toEqual({ url: 'https://x.example/api/3', method: 'GET', body: null, contentType: null });
    expect(pageRequest('https://x.example/api', { ...config, bodyType: 'form', body: 'page={page}' }, 1).contentType).toMatch(/^application\/x-www-form-urlencoded/);
  });
});
