import { type Kysely, sql } from 'kysely';

// Write cost of the escalation sweep and the ledger's totals. Frozen in time (Kysely<any>).
//
// The sweep writes, per fired step, one escalation_fires row, its notifications, one audit row and
// a new obligations.next_step_at. What each of those rows paid for beyond its own heap tuple:
//   - escalation_fires checked two foreign keys (case, obligation): now one composite key
//     (obligation_id, case_id) → obligations (id, case_id). The obligation row is already locked by
//     the sweep (for update), so the one check left is the cheap one; and a fire's case is now
//     guaranteed to be its obligation's case, which the two separate keys did not say. Deleting a
//     case still removes its fires (cases → obligations → escalation_fires, both on delete cascade).
//   - obligations_case (case_id) duplicated the leading column of unique (case_id, kind, seq): one
//     index less to update on every non-HOT update of an obligation (each sweep update is one).
//     Its place is taken by the unique (id, case_id) the composite key needs.
//   - the next_step_at safety-net trigger ran a PL/pgSQL call for every row updated, the sweep's
//     included, to do nothing in almost all of them: the same function now runs only when its own
//     condition holds (WHEN clauses), so the result is unchanged and the sweep's updates skip it.
//   - audit_log_actor indexed the system's rows too (actor_id null), which no query looks up by
//     actor: partial now (`actor_id = $1` still uses it).
// The ledger's count (status, level, category are its usual filters) reads a small deduplicated
// index instead of the heap (an index-only scan where the visibility map allows).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table obligations add constraint obligations_id_case_key unique (id, case_id);
    drop index obligations_case;

    alter table escalation_fires drop constraint escalation_fires_case_id_fkey;
    alter table escalation_fires drop constraint escalation_fires_obligation_id_fkey;
    alter table escalation_fires add constraint escalation_fires_obligation_case_fkey
      foreign key (obligation_id, case_id) references obligations (id, case_id) on delete cascade;

    drop trigger obligations_next_step_default on obligations;
    create trigger obligations_next_step_default_insert before insert on obligations
      for each row when (new.next_step_at is null)
      execute function obligations_next_step_default();
    create trigger obligations_next_step_default_update before update on obligations
      for each row when (new.next_step_at is not distinct from old.next_step_at
                         and (new.started_at <> old.started_at or new.due_at <> old.due_at
                              or (new.status = 'open' and old.status <> 'open')))
      execute function obligations_next_step_default();

    drop index audit_log_actor;
    create index audit_log_actor on audit_log (actor_id, id) where actor_id is not null;

    create index cases_ledger_filters on cases (status, level, category);
  `.execute(db);
}
