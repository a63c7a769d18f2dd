import { type Kysely, sql } from 'kysely';

// Frozen in time: typed against Kysely<any> so later schema changes never break it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table departments (
      id serial primary key,
      name text not null unique,
      kind text not null default 'bureau' check (kind in ('office','bureau','town')),
      parent_id integer references departments(id) on delete set null,
      created_at timestamptz not null default now()
    );

    create table fetch_allowlist (
      id serial primary key,
      host_port text not null unique,
      note text not null default '',
      created_at timestamptz not null default now()
    );

    create table sources (
      id serial primary key,
      name text not null,
      url text not null,
      kind text not null check (kind in ('feed','site')),
      media_type text not null default 'other' check (media_type in ('news','forum','gov_media','mailbox','other')),
      region text not null default '',
      charset text,
      selectors jsonb,
      poll_interval_s integer not null default 300 check (poll_interval_s >= 5),
      enabled boolean not null default true,
      etag text,
      last_modified text,
      body_hash text,
      status text not null default 'pending',
      status_message text not null default '',
      http_status integer,
      last_fetch_at timestamptz,
      last_success_at timestamptz,
      last_new_item_at timestamptz,
      next_fetch_at timestamptz not null default now(),
      claimed_by text,
      failure_score real not null default 0,
      consecutive_failures integer not null default 0,
      selector_misses integer not null default 0,
      typical_gap_s integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index sources_url_unique on sources (url);
    create index sources_due on sources (next_fetch_at) where enabled;

    create table source_fetches (
      id bigserial primary key,
      source_id integer not null references sources(id) on delete cascade,
      started_at timestamptz not null,
      duration_ms integer not null,
      status text not null,
      http_status integer,
      items_seen integer not null default 0,
      items_new integer not null default 0,
      message text not null default ''
    );
    create index source_fetches_by_source on source_fetches (source_id, started_at desc);

    create table stories (
      id bigserial primary key,
      title text not null,
      simhash bigint not null,
      band0 integer not null,
      band1 integer not null,
      band2 integer not null,
      band3 integer not null,
      band4 integer not null,
      band5 integer not null,
      minhash integer[] not null default '{}',
      first_seen_at timestamptz not null,
      last_seen_at timestamptz not null,
      item_count integer not null default 0,
      source_count integer not null default 0,
      created_at timestamptz not null default now()
    );
    create index stories_band0 on stories (band0);
    create index stories_band1 on stories (band1);
    create index stories_band2 on stories (band2);
    create index stories_band3 on stories (band3);
    create index stories_band4 on stories (band4);
    create index stories_band5 on stories (band5);
    create index stories_last_seen on stories (last_seen_at desc);

    -- MinHash LSH band keys of each story's founding item (see core/minhash.ts).
    create table story_keys (
      key bigint not null,
      story_id bigint not null references stories(id) on delete cascade,
      primary key (key, story_id)
    );
    create index story_keys_story on story_keys (story_id);

    create table items (
      id bigserial primary key,
      source_id integer not null references sources(id) on delete cascade,
      story_id bigint references stories(id),
      url_key text not null,
      url text not null,
      guid text,
      title text not null,
      text text not null default '',
      author text not null default '',
      published_at timestamptz not null,
      published_at_estimated boolean not null default false,
      fetched_at timestamptz not null,
      simhash bigint not null,
      negativity real not null default 0,
      matched_rule_ids integer[] not null default '{}',
      matched_words text[] not null default '{}'
    );
    create unique index items_url_key on items (url_key);
    create index items_story on items (story_id, fetched_at);
    create index items_source on items (source_id, fetched_at desc);
    create index items_fetched on items (fetched_at desc);

    create table rules (
      id serial primary key,
      name text not null,
      expression text not null,
      scope text not null default 'title_text' check (scope in ('title','title_text')),
      negative_only boolean not null default false,
      suggested_level text not null default 'general' check (suggested_level in ('general','significant','major','especially_major')),
      suggested_category text not null default 'other' check (suggested_category in ('suggestion','difficulty','misunderstanding','wrong_view','rumour','emergency','other')),
      suggested_department_id integer references departments(id) on delete set null,
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table alerts (
      id bigserial primary key,
      story_id bigint not null unique references stories(id),
      status text not null default 'new' check (status in ('new','dismissed','case')),
      rule_ids integer[] not null default '{}',
      matched_words text[] not null default '{}',
      suggested_level text not null default 'general',
      suggested_category text not null default 'other',
      suggested_department_id integer references departments(id) on delete set null,
      negativity real not null default 0,
      spike boolean not null default false,
      spike_at timestamptz,
      dismiss_reason text check (dismiss_reason in ('irrelevant','false_positive','duplicate','handled')),
      dismissed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index alerts_status on alerts (status, updated_at desc);
    create index alerts_updated on alerts (updated_at, id);
  `.execute(db);
}
