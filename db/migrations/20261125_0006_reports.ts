import { type Kysely, sql } from 'kysely';

// Reports: the weekly notice (周通报) and its monthly / quarterly / any-range siblings. One row per
// (kind, period): the scheduled job and on-demand requests insert with ON CONFLICT DO NOTHING, so a
// period's notice is made exactly once however many workers race. The figures it was made from are
// kept as JSON and the rendered .docx as bytes; an issued notice never changes. Frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table reports (
      id bigserial primary key,
      kind text not null check (kind in ('weekly', 'monthly', 'quarterly', 'range')),
      period text not null,
      period_from timestamptz not null,
      period_to timestamptz not null,
      status text not null default 'draft' check (status in ('draft', 'issued')),
      title text not null,
      figures jsonb not null,
      notable text not null default '',
      requirements text not null default '',
      file bytea not null,
      file_name text not null,
      generated_at timestamptz not null,
      generated_by int references users (id),
      issued_at timestamptz,
      issued_by int references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint reports_kind_period unique (kind, period),
      constraint reports_range check (period_from < period_to),
      constraint reports_issued check ((status = 'issued') = (issued_at is not null))
    )`.execute(db);
  await sql`create index reports_period_from on reports (period_from desc, id desc)`.execute(db);
}
