import { type Kysely, sql } from 'kysely';

// Event grouping (core/stories.ts, core/event-features.ts): what each item is about — keywords,
// title words, places, firms, numbers, dates, published time — kept per item in item_events so
// later items find retellings of the same event by shared keywords within the published-time
// window (GIN on keywords, btree on published_at), and the founder's features on its story so the
// fingerprint candidates are checked for conflicting places and firms too. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table stories add column features jsonb;
    create table item_events (
      item_id bigint primary key references items(id) on delete cascade,
      published_at timestamptz not null,
      keywords text[] not null,
      features jsonb not null
    );
    create index item_events_keywords on item_events using gin (keywords);
    create index item_events_published on item_events (published_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table item_events;
    alter table stories drop column features;
  `.execute(db);
}
