import { type Kysely, sql } from 'kysely';

// Integrity of the audit log (issue 15 §1). Frozen in time (Kysely<any>).
//
// Retention. audit_log_purge is SECURITY DEFINER (it must delete past the append-only trigger), so
// it is no longer executable by PUBLIC: only its owner (the application's role) may call it. The
// retention floor is inside the function, not chosen by the caller: a cutoff later than now − 180
// days (网络安全法: network logs kept at least six months) is refused, whoever asks. Every purge that
// removes rows records itself in the chain: an audit row 'audit.purge' with the cutoff, the count
// and the new anchor, chained like any other row. search_path is pinned, as for any definer.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function audit_log_purge(cutoff timestamptz) returns bigint
      language plpgsql security definer set search_path = pg_catalog, public as $$
    declare
      min_days constant integer := 180;
      last_seq bigint;
      last_hash text;
      removed bigint;
    begin
      if cutoff is null or cutoff > now() - make_interval(days => min_days) then
        raise exception 'audit_log_purge: cutoff % is later than now - % days (审计日志至少保留 % 天)', cutoff, min_days, min_days
          using errcode = 'insufficient_privilege';
      end if;
      select chain_seq, hash into last_seq, last_hash from audit_log
        where chain_seq = (select max(chain_seq) from audit_log where at < cutoff);
      if last_seq is null then
        return 0;
      end if;
      -- Lock the head: no audit insert interleaves with the move of the anchor.
      update audit_chain_head set anchor_seq = last_seq, anchor_hash = last_hash where id = 1;
      perform set_config('audit_log.purging', 'on', true);
      delete from audit_log where chain_seq <= last_seq;
      get diagnostics removed = row_count;
      perform set_config('audit_log.purging', 'off', true);
      insert into audit_log (actor_name, ip, entity, entity_id, action, after)
        values ('system', '', 'audit_log', '', 'audit.purge',
          jsonb_build_object('cutoff', cutoff, 'removed', removed, 'anchorSeq', last_seq, 'minDays', min_days, 'by', session_user::text));
      return removed;
    end $$;
    revoke all on function audit_log_purge(timestamptz) from public;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`grant execute on function audit_log_purge(timestamptz) to public`.execute(db);
}
