import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_POLICY } from '../../core/workflow/index.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { sweepDueSteps } from '../../worker/jobs/cases.sweep.js';
import { scheduleDueSources } from '../../worker/jobs/sources.schedule.js';
import { auditCount, createFixture, errorOf, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { addSource, allowHost, crawlDeps } from '../helpers/crawl.js';
import { HOUR, makeCase, makeObligation, makeOffice } from '../escalation/fixtures.js';

// Heightened periods (重点时段) also poll every source at a shorter interval (the period's poll
// factor, default 0.5) and suspend quiet hours (免打扰) while they are active.

const NOW = new Date('2026-12-07T02:00:00Z'); // Monday 10:00 Beijing
let f: Fixture;
let admin: TestUser;
let server: Server;
let feedUrl: string;
let hostPort: string;

beforeAll(async () => {
  f = await createFixture('periods_heightened', NOW);
  admin = await makeUser(f, 'admin');
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>清河新闻</title><item><title>清河市部署冬季供暖工作</title><link>http://news.example/a/1.html</link><guid>a-1</guid><description>清河市召开冬季供暖工作部署会，要求各供热单位提前检修管网。</description></item></channel></rss>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  feedUrl = `http://${hostPort}/rss.xml`;
  await allowHost(f.db, hostPort);
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await f?.tdb.drop();
});

const period = (startsAt: Date, endsAt: Date, pollFactor?: number) =>
  f.db
    .insertInto('heightened_periods')
    .values({ name: '元旦', starts_at: startsAt, ends_at: endsAt, factor: 0.5, ...(pollFactor !== undefined ? { poll_factor: pollFactor } : {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
const noPeriods = () => f.db.deleteFrom('heightened_periods').execute();
const at = (min: number) => new Date(NOW.getTime() + min * 60_000);

describe('the period API carries the poll-interval factor', () => {
  it('defaults to 0.5, accepts 0.1–1, keeps it when an edit leaves it out; audited', async () => {
    const body = { name: '春节', startsAt: '2027-02-10T00:00:00Z', endsAt: '2027-02-18T00:00:00Z', factor: 0.5 };
    const created = await f.as(admin, 'POST', '/api/periods', body);
    expect(created.status).toBe(201);
    const p = await created.json();
    expect(p.pollFactor).toBe(0.5);

    for (const bad of [0.05, 0, 1.5, '0.5']) {
      const res = await f.as(admin, 'POST', '/api/periods', { ...body, pollFactor: bad });
      expect(res.status, String(bad)).toBe(400);
      const err = await errorOf(res);
      expect(err.messageZh).toContain('pollFactor');
    }

    const edited = await f.as(admin, 'PATCH', `/api/periods/${p.id}`, { ...body, pollFactor: 0.25 });
    expect((await edited.json()).pollFactor).toBe(0.25);
    const kept = await f.as(admin, 'PATCH', `/api/periods/${p.id}`, { ...body, name: '春节假期' });
    expect(await kept.json()).toMatchObject({ name: '春节假期', pollFactor: 0.25 });
    const list = await (await f.as(admin, 'GET', '/api/periods')).json();
    expect(list.periods[0]).toMatchObject({ id: p.id, pollFactor: 0.25 });
    const audit = await f.db.selectFrom('audit_log').select('after').where('action', '=', 'period.update').orderBy('id').execute();
    expect(audit.map((a) => (a.after as { pollFactor: number }).pollFactor)).toEqual([0.25, 0.25]);
    expect(await auditCount(f, { action: 'period.create' })).toBe(1);
    await f.as(admin, 'DELETE', `/api/periods/${p.id}`);
  });
});

describe('a heightened period shortens every source poll interval', () => {
  it('a crawl inside an active period with factor 0.5 schedules the next poll half an interval ahead; outside it, a full one', async () => {
    await noPeriods();
    const id = await addSource(f.db, { url: feedUrl, name: '清河新闻', poll_interval_s: 600 });
    const nextAfterCrawl = async (now: Date) => {
      await f.db.updateTable('sources').set({ next_fetch_at: new Date(0), etag: null, last_modified: null, body_hash: null }).where('id', '=', id).execute();
      const { deps } = crawlDeps(f.db, { now: () => now });
      expect((await crawlSource(deps, id, `job-${now.getTime()}`)).status).toMatch(/^(ok|not_modified)$/);
      return (await f.db.selectFrom('sources').select('next_fetch_at').where('id', '=', id).executeTakeFirstOrThrow()).next_fetch_at;
    };

    // no period: the full 10 minutes
    expect((await nextAfterCrawl(at(0))).toISOString()).toBe(at(10).toISOString());
    // an active period (default factor 0.5): 5 minutes
    await period(at(15), at(60 * 24));
    expect((await nextAfterCrawl(at(20))).toISOString()).toBe(at(25).toISOString());
    // after it ends: the full interval again
    expect((await nextAfterCrawl(at(60 * 24 + 1))).toISOString()).toBe(at(60 * 24 + 11).toISOString());
    await noPeriods();
    // a period with factor 0.2 (2 minutes); overlapping periods: the smallest factor
    await period(at(2000), at(3000), 0.8);
    await period(at(2000), at(3000), 0.2);
    expect((await nextAfterCrawl(at(2001))).toISOString()).toBe(at(2003).toISOString());
    await noPeriods();
    await f.db.updateTable('sources').set({ enabled: false }).where('id', '=', id).execute();
  });

  it('when a period begins, sources scheduled a full interval ahead are brought forward by the scheduler', async () => {
    await noPeriods();
    const mk = async (name: string, over: Record<string, unknown> = {}) =>
      addSource(f.db, { url: `${feedUrl}?${name}`, name, poll_interval_s: 3600, last_fetch_at: at(-40), next_fetch_at: at(20), ...over });
    const healthy = await mk('healthy');
    const soon = await mk('soon', { last_fetch_at: at(-10), next_fetch_at: at(50) }); // half interval ends at +20
    const failing = await mk('failing', { consecutive_failures: 2 });
    const disabled = await mk('disabled', { enabled: false });
    const enqueued: number[] = [];
    const enqueue = async (_name: string, jobs: readonly { data: { sourceId: number } }[]) => void enqueued.push(...jobs.map((j) => j.data.sourceId));
    const nextOf = async (id: number) => (await f.db.selectFrom('sources').select('next_fetch_at').where('id', '=', id).executeTakeFirstOrThrow()).next_fetch_at.toISOString();

    // no period: nothing due yet
    await scheduleDueSources(f.db, enqueue as never, at(0));
    expect(enqueued).toEqual([]);
    expect(await nextOf(healthy)).toBe(at(20).toISOString());

    // the period begins: half an hour after the last fetch has passed → due now; the other one at its half interval
    await period(at(-1), at(600));
    await scheduleDueSources(f.db, enqueue as never, at(0));
    expect(enqueued).toEqual([healthy]);
    expect(await nextOf(soon)).toBe(at(20).toISOString());
    expect(await nextOf(failing)).toBe(at(20).toISOString()); // its backoff stands
    expect(await nextOf(disabled)).toBe(at(20).toISOString());
    await noPeriods();
    await f.db.updateTable('sources').set({ enabled: false }).where('id', 'in', [healthy, soon, failing]).execute();
  });
});

describe('quiet hours are suspended during a heightened period', () => {
  it('a non-urgent reminder at 23:00 Beijing waits for 07:00 outside a period and goes at once inside one', async () => {
    await noPeriods();
    const office = await makeOffice(f.db);
    await f.db.insertInto('notification_channels').values({ kind: 'webhook', name: 'quiet-period', config: JSON.stringify({ url: 'http://127.0.0.1:9/x' }) }).execute();
    const quiet = { startHour: 22, endHour: 7 };
    const policies = DEFAULT_POLICY.map((r) => ({
      ...r,
      escalationSteps: [{ id: 'warn-12h', trigger: { type: 'before_due' as const, hours: 12 }, target: 'reviewer' as const, urgent: false }],
    }));
    const deliveryOf = async (caseId: string) =>
      f.db
        .selectFrom('notification_deliveries as d')
        .innerJoin('notifications as n', 'n.id', 'd.notification_id')
        .select(['d.next_attempt_at'])
        .where('n.case_id', '=', caseId)
        .executeTakeFirstOrThrow();
    // Due 11:00 Beijing the next day; the 12 h warning fires at 23:00 Beijing.
    const remind = async (night: Date) => {
      const due = new Date(night.getTime() + 12 * HOUR);
      const c = await makeCase(f.db, { leadDepartmentId: office.dept, openedAt: new Date(due.getTime() - 48 * HOUR) });
      await makeObligation(f.db, c, { startedAt: new Date(due.getTime() - 48 * HOUR), hours: 48 });
      await sweepDueSteps(f.db, night, { quiet, policies });
      return (await deliveryOf(c)).next_attempt_at.toISOString();
    };

    const night1 = new Date('2026-12-08T15:00:00Z'); // 23:00 Beijing
    expect(await remind(night1)).toBe('2026-12-08T23:00:00.000Z'); // held until 07:00 Beijing

    const night2 = new Date('2026-12-09T15:00:00Z');
    await period(new Date('2026-12-09T00:00:00Z'), new Date('2026-12-10T00:00:00Z'));
    expect(await remind(night2)).toBe(night2.toISOString()); // not held back

    await noPeriods();
    const night3 = new Date('2026-12-10T15:00:00Z'); // the period is over: held again
    expect(await remind(night3)).toBe('2026-12-10T23:00:00.000Z');
  });
});
