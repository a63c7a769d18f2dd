import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, makeStory, type ApiFixture } from '../../test/api/helpers.js';

// GET /api/alerts carries newCount: how many alerts await triage, whatever the filter and page,
// so the duty desk can show its counter before every page has loaded.

let f: ApiFixture;
const at = (min: number) => new Date(Date.UTC(2026, 10, 24, 8, min));

beforeAll(async () => {
  f = await createApiFixture('alertnewcount');
  const statuses = ['new', 'new', 'new', 'dismissed', 'case'] as const;
  for (const [i, status] of statuses.entries()) {
    const story = await makeStory(f.db, `预警${i}`, at(i));
    await f.db.insertInto('alerts').values({ story_id: story, status, created_at: at(i), updated_at: at(i) }).execute();
  }
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('GET /api/alerts newCount', () => {
  it('counts the new alerts on every page and under every filter', async () => {
    const first = await (await f.request('GET', '/api/alerts?status=new&limit=2')).json();
    expect(first.alerts).toHaveLength(2);
    expect(first.newCount).toBe(3);
    const second = await (await f.request('GET', `/api/alerts?status=new&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
    expect(second.alerts).toHaveLength(1);
    expect(second.newCount).toBe(3);
    const dismissed = await (await f.request('GET', '/api/alerts?status=dismissed')).json();
    expect(dismissed.alerts).toHaveLength(1);
    expect(dismissed.newCount).toBe(3);
  });

  it('drops when an alert is dismissed', async () => {
    const { alerts } = await (await f.request('GET', '/api/alerts?status=new&limit=1')).json();
    expect((await f.request('POST', `/api/alerts/${alerts[0].id}/dismiss`, { reason: 'duplicate' })).status).toBe(200);
    expect((await (await f.request('GET', '/api/alerts')).json()).newCount).toBe(2);
  });
});
