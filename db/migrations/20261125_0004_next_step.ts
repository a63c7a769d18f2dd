import { type Kysely, sql } from 'kysely';

// obligations.next_step_at: when the obligation's next unfired escalation step is due (null: no
// more steps). The sweep selects `next_step_at <= now` on a partial index, so an overdue obligation
// whose steps have all fired is no longer re-read every tick. Frozen in time (Kysely<any>).
//
// The application writes the exact time (core/workflow nextStepAt); the trigger is a safety net for
// writers that do not know the policy (raw inserts, hand edits of the window, an obligation opened
// again): it sets the conservative `started_at` (no step fires before its window starts) and the
// sweep corrects it on its next tick. Early is always safe; late would miss a step.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table obligations add column next_step_at timestamptz;

    -- Conservative backfill: the earliest a default-policy step fires before due is 24 h (the 50 %
    -- reminder of a 48 h window); the first sweep moves each row to its true next step or null.
    update obligations set next_step_at = due_at - interval '24 hours' where status = 'open';

    create index obligations_open_next_step on obligations (next_step_at)
      where status = 'open' and next_step_at is not null;

    create function obligations_next_step_default() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        new.next_step_at := coalesce(new.next_step_at, new.started_at);
      elsif new.next_step_at is not distinct from old.next_step_at
            and (new.started_at <> old.started_at or new.due_at <> old.due_at
                 or (new.status = 'open' and old.status <> 'open')) then
        new.next_step_at := new.started_at;
      end if;
      return new;
    end $$;

    create trigger obligations_next_step_default before insert or update on obligations
      for each row execute function obligations_next_step_default();
  `.execute(db);
}
