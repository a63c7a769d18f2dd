import { type Kysely, sql } from 'kysely';

// Integrity of the audit log (issue 15 §1). Frozen in time (Kysely<any>). No down: like 0008, the
// chain cannot be taken back to unkeyed hashes once keyed rows exist.
//
// Retention. audit_log_purge is SECURITY DEFINER (it must delete past the append-only trigger), so
// it is no longer executable by PUBLIC: only its owner (the application's role) may call it. The
// retention floor is inside the function, not chosen by the caller: a cutoff later than now − 180
// days (网络安全法: network logs kept at least six months) is refused, whoever asks. It removes only
// the chain's leading rows older than the cutoff (no longer every row up to the newest old one, which
// let a single row dated long ago take every recent row before it). Every purge that
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
      -- The leading run of rows older than the cutoff, up to the first row that is not: a row
      -- given an old time later in the chain (anyone who may insert can set at) takes nothing with it.
      select chain_seq, hash into last_seq, last_hash from audit_log
        where chain_seq = coalesce((select min(chain_seq) from audit_log where at >= cutoff) - 1, (select max(chain_seq) from audit_log))
          and at < cutoff;
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

  // The keyed chain. A row's hash becomes an HMAC-SHA-256 under a key that is not in the database:
  //   hash = hmac(key, previous row's hash || audit_log_content(row))
  // built from the built-in sha256() (no extension needed; see core/audit-key.ts), the two padded
  // keys read from the session setting audit_chain.key that the application sets on every
  // connection. Without it the trigger refuses to write. Rows written before this migration keep
  // their plain sha256 hashes: audit_chain_head.keyed_from is the last of them (the version
  // marker), and verification checks rows up to it the old way, the rest with the key. Someone with
  // the database alone can still change rows, but cannot make them verify again.
  await sql`
    alter table audit_chain_head add column keyed_from bigint;
    update audit_chain_head set keyed_from = seq;
    alter table audit_chain_head alter column keyed_from set not null;

    create or replace function audit_log_chain() returns trigger language plpgsql as $$
    declare
      st text := current_setting('audit_chain.state', true);
      k text := current_setting('audit_chain.key', true);
      s bigint;
      h text;
    begin
      if k is null or length(k) <> 256 then
        raise exception 'audit_chain.key is not set: audit rows are written by the application only (审计密钥未设置)';
      end if;
      if st is null or st = '' then
        select seq, hash into s, h from audit_chain_head where id = 1 for update;
      else
        s := split_part(st, ':', 1)::bigint;
        h := split_part(st, ':', 2);
      end if;
      new.chain_seq := s + 1;
      -- hmac(key, h || audit_log_content(new)), inlined.
      new.hash := encode(sha256(decode(substr(k, 129, 128), 'hex') || sha256(decode(substr(k, 1, 128), 'hex') || convert_to(h || jsonb_build_array(new.chain_seq, new.id, (extract(epoch from new.at) * 1000000)::bigint,
        new.actor_id, new.actor_name, new.ip, new.entity, new.entity_id, new.case_id, new.action, new.before, new.after)::text, 'UTF8'))), 'hex');
      perform set_config('audit_chain.state', new.chain_seq::text || ':' || new.hash, true);
      return new;
    end $$;

    create or replace function audit_log_chain_rows(actor_ids integer[], actor_names text[], ips text[], entities text[],
        entity_ids text[], case_ids bigint[], actions text[], befores text[], afters text[])
      returns setof audit_log language plpgsql as $$
    declare
      st text := current_setting('audit_chain.state', true);
      k text := current_setting('audit_chain.key', true);
      ki bytea;
      ko bytea;
      s bigint;
      h text;
      r audit_log;
      ids regclass := pg_get_serial_sequence('audit_log', 'id')::regclass;
    begin
      if k is null or length(k) <> 256 then
        raise exception 'audit_chain.key is not set: audit rows are written by the application only (审计密钥未设置)';
      end if;
      ki := decode(substr(k, 1, 128), 'hex');
      ko := decode(substr(k, 129, 128), 'hex');
      if st is null or st = '' then
        select seq, hash into s, h from audit_chain_head where id = 1 for update;
      else
        s := split_part(st, ':', 1)::bigint;
        h := split_part(st, ':', 2);
      end if;
      r.at := now();
      for i in 1 .. coalesce(array_length(entities, 1), 0) loop
        r.id := nextval(ids);
        r.actor_id := actor_ids[i];
        r.actor_name := actor_names[i];
        r.ip := ips[i];
        r.entity := entities[i];
        r.entity_id := entity_ids[i];
        r.case_id := case_ids[i];
        r.action := actions[i];
        r.before := befores[i]::jsonb;
        r.after := afters[i]::jsonb;
        s := s + 1;
        r.chain_seq := s;
        r.hash := encode(sha256(ko || sha256(ki || convert_to(h || jsonb_build_array(r.chain_seq, r.id, (extract(epoch from r.at) * 1000000)::bigint,
          r.actor_id, r.actor_name, r.ip, r.entity, r.entity_id, r.case_id, r.action, r.before, r.after)::text, 'UTF8'))), 'hex');
        h := r.hash;
        return next r;
      end loop;
      perform set_config('audit_chain.state', s::text || ':' || h, true);
    end $$;
  `.execute(db);
}
