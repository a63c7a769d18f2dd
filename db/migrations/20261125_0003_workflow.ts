import { type Kysely, sql } from 'kysely';

// The response workflow: policy, periods, calendar overrides, cases with departments, stories and
// evidence, obligations with due times, escalation records, notifications, responses, follow-up,
// typed escalation paths, and the append-only audit log. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table policies (
      id serial primary key,
      level text not null check (level in ('general','significant','major','especially_major')),
      category text check (category in ('suggestion','difficulty','misunderstanding','wrong_view','rumour','emergency','other')),
      obligations jsonb not null,
      escalation_steps jsonb not null,
      follow_up_hours integer not null default 72 check (follow_up_hours > 0),
      updated_by integer references users(id),
      updated_at timestamptz not null default now()
    );
    create unique index policies_level_category on policies (level, coalesce(category, ''));

    create table heightened_periods (
      id serial primary key,
      name text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      factor real not null check (factor > 0 and factor <= 1),
      created_by integer references users(id),
      created_at timestamptz not null default now(),
      check (ends_at > starts_at)
    );

    create table calendar_overrides (
      day date primary key,
      is_workday boolean not null,
      note text not null default ''
    );

    create table case_counters (
      year integer primary key,
      last integer not null
    );

    create table cases (
      id bigserial primary key,
      number text not null unique,
      title text not null,
      summary text not null default '',
      level text not null check (level in ('general','significant','major','especially_major')),
      category text not null check (category in ('suggestion','difficulty','misunderstanding','wrong_view','rumour','emergency','other')),
      status text not null default 'open' check (status in ('open','responded','closed')),
      origin text not null default 'alert' check (origin in ('alert','cyberspace_office','government_office','hotline','mailbox','other')),
      origin_note text not null default '',
      lead_department_id integer not null references departments(id),
      clock_started_at timestamptz not null,
      opened_at timestamptz not null,
      opened_by integer references users(id),
      assigned_at timestamptz,
      responded_at timestamptz,
      follow_up_until timestamptz,
      closed_at timestamptz,
      closed_by integer references users(id),
      effect_rating text check (effect_rating in ('good','fairly_good','average','poor')),
      conclusion text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index cases_opened on cases (opened_at desc, id desc);
    create index cases_status on cases (status, opened_at desc);
    create index cases_lead on cases (lead_department_id, opened_at desc);

    create table case_departments (
      case_id bigint not null references cases(id) on delete cascade,
      department_id integer not null references departments(id),
      role text not null check (role in ('lead','co')),
      primary key (case_id, department_id)
    );
    create index case_departments_department on case_departments (department_id, case_id);

    create table case_stories (
      case_id bigint not null references cases(id) on delete cascade,
      story_id bigint not null references stories(id),
      primary key (case_id, story_id)
    );
    create index case_stories_story on case_stories (story_id);

    alter table alerts add column case_id bigint references cases(id);

    -- Evidence: the item as seen when it was attached (posts get deleted).
    create table case_items (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      item_id bigint references items(id),
      title text not null,
      text text not null default '',
      url text not null default '',
      source_name text not null default '',
      published_at timestamptz,
      captured_at timestamptz not null default now()
    );
    create index case_items_case on case_items (case_id);

    create table obligations (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      kind text not null check (kind in ('response','report','info','press','update','referral')),
      seq integer not null default 1,
      window_hours real not null,
      window_unit text not null default 'natural' check (window_unit in ('natural','working_days')),
      started_at timestamptz not null,
      due_at timestamptz not null,
      status text not null default 'open' check (status in ('open','met','cancelled')),
      met_at timestamptz,
      on_time boolean,
      met_by text,
      note text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (case_id, kind, seq)
    );
    -- The sweep reads open obligations only: closed history stays out of its index.
    create index obligations_open_due on obligations (due_at) where status = 'open';
    create index obligations_case on obligations (case_id);

    -- One row per fired escalation step: fires exactly once, whatever races.
    create table escalation_fires (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      obligation_id bigint not null references obligations(id) on delete cascade,
      step_id text not null,
      target text not null,
      due_at timestamptz not null,
      fired_at timestamptz not null,
      unique (obligation_id, step_id)
    );

    create table notifications (
      id bigserial primary key,
      user_id integer not null references users(id) on delete cascade,
      case_id bigint references cases(id) on delete cascade,
      kind text not null,
      title text not null,
      body text not null default '',
      urgent boolean not null default false,
      created_at timestamptz not null default now(),
      read_at timestamptz
    );
    create index notifications_user on notifications (user_id, created_at desc);
    create index notifications_unread on notifications (user_id) where read_at is null;

    create table notification_channels (
      id serial primary key,
      kind text not null check (kind in ('email','webhook')),
      name text not null,
      config jsonb not null,
      enabled boolean not null default true,
      created_at timestamptz not null default now()
    );

    create table notification_deliveries (
      id bigserial primary key,
      notification_id bigint references notifications(id) on delete cascade,
      channel_id integer references notification_channels(id) on delete cascade,
      target text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending','sent','failed')),
      attempts integer not null default 0,
      last_error text not null default '',
      next_attempt_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index notification_deliveries_due on notification_deliveries (next_attempt_at) where status = 'pending';

    create table responses (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      status text not null default 'draft' check (status in ('draft','submitted','approved','returned','published')),
      body text not null,
      drafted_by integer references users(id),
      drafted_at timestamptz not null default now(),
      submitted_by integer references users(id),
      submitted_at timestamptz,
      reviewed_by integer references users(id),
      reviewed_at timestamptz,
      review_comment text not null default '',
      published_by integer references users(id),
      published_at timestamptz,
      channel text check (channel in ('website','new_media','press_conference','interview','reply','other')),
      url text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index responses_case on responses (case_id, created_at);

    create table feedback (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      author_id integer references users(id),
      kind text not null check (kind in ('reaction','action','release','other')),
      body text not null,
      created_at timestamptz not null default now()
    );
    create index feedback_case on feedback (case_id, created_at);

    create table reports_up (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      reported_by integer references users(id),
      reported_at timestamptz not null,
      recipient text not null,
      content text not null
    );

    create table referrals (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      target text not null check (target in ('public_security','cyberspace')),
      referred_by integer references users(id),
      referred_at timestamptz not null,
      recipient text not null,
      content text not null
    );

    create table coordinations (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      from_department_id integer references departments(id),
      author_id integer references users(id),
      created_at timestamptz not null default now(),
      content text not null
    );

    -- 责任追究: every change, attributable, forever. A trigger rejects UPDATE and DELETE.
    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_id integer references users(id),
      actor_name text not null default '',
      ip text not null default '',
      entity text not null,
      entity_id text not null,
      case_id bigint,
      action text not null,
      before jsonb,
      after jsonb
    );
    create index audit_log_case on audit_log (case_id, id) where case_id is not null;
    create index audit_log_actor on audit_log (actor_id, id);

    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (审计日志不可修改或删除)';
    end $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only();
  `.execute(db);
}
