import { sql } from 'kysely';
import type { Db } from '../../db/client.js';

// Many cases at once, set-based (used by the 100,000-row export test and bench/reports.ts): spread
// evenly over [from, from + spanHours), a mix of levels and outcomes — 40 % open (a fifth of them
// overdue), 60 % published (a tenth of those late) — with departments, obligations, responses,
// feedback, evidence, and (optionally) items and alerts for the monitoring figures.

export interface SeedOptions {
  cases: number;
  from: Date;
  spanHours: number;
  departments?: number;
  /** Items per case (fetched in the same span) and one alert per this many cases; 0: none. */
  itemsPerCase?: number;
  now: Date;
  userId?: number | null;
}

export async function seedCases(db: Db, o: SeedOptions): Promise<void> {
  const depts = o.departments ?? 20;
  const user = o.userId ?? null;
  const existing = await sql<{ n: number }>`select count(*)::int as n from departments`.execute(db);
  if (existing.rows[0].n < depts) {
    await sql`insert into departments (name, kind) select '部门' || g, 'bureau' from generate_series(${existing.rows[0].n + 1}::int, ${depts}::int) g`.execute(db);
  }
  await sql`
    insert into cases (number, title, summary, level, category, status, origin, lead_department_id,
                       clock_started_at, opened_at, opened_by, assigned_at)
    select 'S' || lpad(g::text, 7, '0'),
      '关于' || (array['停水','拆迁补偿','学校收费','路灯','噪音扰民','物业纠纷'])[1 + g % 6] || '的反映 ' || g,
      '网民反映' || (array['某小区连续三天停水，无人答复','补偿标准不一','收取额外费用','夜间施工'])[1 + g % 4] || '，请求有关部门尽快处理。' || g,
      case when g % 50 = 0 then 'especially_major' when g % 50 < 5 then 'major' when g % 50 < 15 then 'significant' else 'general' end,
      (array['suggestion','difficulty','misunderstanding','wrong_view','rumour','emergency','other'])[1 + g % 7],
      case when g % 10 < 4 then 'open' else 'responded' end,
      'alert', (select min(id) from departments) + g % ${depts},
      t.at, t.at, ${user}::int, t.at + interval '1 hour'
    from generate_series(1, ${o.cases}::int) g,
      lateral (select ${o.from}::timestamptz + (g - 1) * (${o.spanHours * 3600}::float8 / ${o.cases}) * interval '1 second' as at) t`.execute(db);
  await sql`insert into case_departments (case_id, department_id, role) select id, lead_department_id, 'lead' from cases where number like 'S%'`.execute(db);
  await sql`
    insert into obligations (case_id, kind, seq, window_hours, started_at, due_at, status, met_at, on_time, met_by)
    select id, 'response', 1, 48, clock_started_at,
      case when status = 'open' and id % 5 <> 0 then greatest(clock_started_at + interval '48 hours', ${o.now}::timestamptz + interval '1 day')
           else clock_started_at + interval '48 hours' end,
      case when status = 'open' then 'open' else 'met' end,
      case when status = 'open' then null when id % 10 = 9 then clock_started_at + interval '50 hours' else clock_started_at + (id % 40 + 1) * interval '1 hour' end,
      case when status = 'open' then null else id % 10 <> 9 end,
      case when status = 'open' then null else 'response' end
    from cases where number like 'S%'`.execute(db);
  await sql`
    update cases c set responded_at = o.met_at from obligations o
    where o.case_id = c.id and o.kind = 'response' and o.status = 'met' and c.number like 'S%'`.execute(db);
  await sql`
    insert into responses (case_id, status, body, drafted_by, reviewed_by, published_by, published_at, channel, created_at)
    select id, 'published', '回应 ' || id, ${user}::int, ${user}::int, ${user}::int, responded_at,
      (array['website','new_media','press_conference','interview','reply','other'])[1 + id % 6], responded_at - interval '2 hours'
    from cases where status = 'responded' and number like 'S%'`.execute(db);
  await sql`
    insert into feedback (case_id, author_id, kind, body, created_at)
    select id, ${user}::int, 'reaction', '网民反应平稳 ' || id, responded_at + interval '1 day' from cases where status = 'responded' and id % 2 = 0 and number like 'S%'`.execute(db);
  await sql`
    insert into case_items (case_id, title, url, source_name, published_at, captured_at)
    select id, '帖子 ' || id, 'http://news.example/' || id, '来源' || (id % 30), clock_started_at, clock_started_at from cases where number like 'S%'`.execute(db);
  if ((o.itemsPerCase ?? 0) > 0) {
    const src = await sql<{ id: number }>`insert into sources (name, url, kind) values ('压测源', 'http://bench.example/feed.xml', 'feed') returning id`.execute(db);
    await sql`
      insert into items (source_id, url_key, url, title, published_at, fetched_at, simhash)
      select ${src.rows[0].id}::int, 'http://bench.example/a/' || g, 'http://bench.example/a/' || g, '信息 ' || g, t.at, t.at, 0
      from generate_series(1, ${o.cases * (o.itemsPerCase ?? 0)}::int) g,
        lateral (select ${o.from}::timestamptz + (g - 1) * (${o.spanHours * 3600}::float8 / ${o.cases * (o.itemsPerCase ?? 0)}) * interval '1 second' as at) t`.execute(db);
    await sql`
      insert into stories (title, simhash, band0, band1, band2, band3, band4, band5, first_seen_at, last_seen_at)
      select '故事 ' || id, 0, 0, 0, 0, 0, 0, 0, clock_started_at, clock_started_at from cases where number like 'S%' and id % 2 = 0`.execute(db);
    await sql`insert into alerts (story_id, created_at, updated_at) select id, first_seen_at, first_seen_at from stories where title like '故事 %'`.execute(db);
  }
  await sql`analyze`.execute(db);
}
