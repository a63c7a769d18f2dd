import { type Kysely, sql } from 'kysely';

// Tamper evidence and retention for the audit log (等保 2.0 安全审计; 网络安全法 第二十一条: network logs
// kept at least six months). Frozen in time (Kysely<any>).
//
// Hash chain. Every audit row gets a chain_seq (1, 2, 3, … with no gaps) and a hash:
//   hash = sha256_hex(previous row's hash || audit_log_content(row))
// where audit_log_content is a canonical JSON array of the row's fields (jsonb text is canonical).
// The chain head (last seq and hash) is one row, audit_chain_head, locked by the first audit insert
// of a transaction and held until it ends, so concurrent transactions append one after the other in
// lock order: chain_seq, not id (ids come from a sequence before any lock), is the chain's order.
// Cost: the per-row trigger keeps the running seq and hash in a transaction-local setting and only
// the statement-level trigger writes the head back, so a many-row INSERT pays one head lock and one
// head update, not one per row. Batches (writeAuditMany: the escalation sweep's 1,000 rows) go
// through audit_log_chain_rows, which computes the same chain in one loop and hands the rows over
// with chain_seq and hash filled in; the per-row trigger runs only for rows without a hash. A row
// inserted with a made-up hash does not move the chain head, so the next row breaks the chain there
// and verification names it.
//
// Retention. audit_log_purge(cutoff) deletes the oldest rows (a prefix of the chain: every row up to
// the newest one older than the cutoff) and first records the last removed row's seq and hash as the
// chain's anchor, so what remains still verifies. The append-only trigger lets a DELETE through only
// while that function runs (a transaction-local flag) and only for rows at or below the anchor;
// UPDATE and TRUNCATE stay refused.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_chain_head (
      id integer primary key check (id = 1),
      seq bigint not null,
      hash text not null,
      anchor_seq bigint not null,
      anchor_hash text not null
    );
    insert into audit_chain_head (id, seq, hash, anchor_seq, anchor_hash)
      values (1, 0, repeat('0', 64), 0, repeat('0', 64));

    alter table audit_log add column chain_seq bigint, add column hash text;

    create function audit_log_content(r audit_log) returns text language sql immutable as $$
      select jsonb_build_array(r.chain_seq, r.id, (extract(epoch from r.at) * 1000000)::bigint, r.actor_id,
        r.actor_name, r.ip, r.entity, r.entity_id, r.case_id, r.action, r.before, r.after)::text
    $$;

    create function audit_log_chain() returns trigger language plpgsql as $$
    declare
      st text := current_setting('audit_chain.state', true);
      s bigint;
      h text;
    begin
      if st is null or st = '' then
        select seq, hash into s, h from audit_chain_head where id = 1 for update;
      else
        s := split_part(st, ':', 1)::bigint;
        h := split_part(st, ':', 2);
      end if;
      new.chain_seq := s + 1;
      -- audit_log_content(new), inlined.
      new.hash := encode(sha256(convert_to(h || jsonb_build_array(new.chain_seq, new.id, (extract(epoch from new.at) * 1000000)::bigint,
        new.actor_id, new.actor_name, new.ip, new.entity, new.entity_id, new.case_id, new.action, new.before, new.after)::text, 'UTF8')), 'hex');
      perform set_config('audit_chain.state', new.chain_seq::text || ':' || new.hash, true);
      return new;
    end $$;

    create function audit_log_chain_save() returns trigger language plpgsql as $$
    declare
      st text := current_setting('audit_chain.state', true);
    begin
      if st is not null and st <> '' then
        update audit_chain_head set seq = split_part(st, ':', 1)::bigint, hash = split_part(st, ':', 2) where id = 1;
      end if;
      return null;
    end $$;

    -- Rows written before this migration join the chain in id order.
    alter table audit_log disable trigger audit_log_no_update;
    do $$
    declare
      r audit_log;
      s bigint := 0;
      h text := repeat('0', 64);
    begin
      for r in select * from audit_log order by id loop
        s := s + 1;
        r.chain_seq := s;
        h := encode(sha256(convert_to(h || audit_log_content(r), 'UTF8')), 'hex');
        update audit_log set chain_seq = s, hash = h where id = r.id;
      end loop;
      update audit_chain_head set seq = s, hash = h where id = 1;
    end $$;
    alter table audit_log enable trigger audit_log_no_update;

    alter table audit_log alter column chain_seq set not null, alter column hash set not null;
    -- No index on at: the daily retention query may scan; every audit insert (1,000 per sweep tick)
    -- would pay for one more index entry.
    create unique index audit_log_chain_seq on audit_log (chain_seq);

    create function audit_log_chain_rows(actor_ids integer[], actor_names text[], ips text[], entities text[],
        entity_ids text[], case_ids bigint[], actions text[], befores text[], afters text[])
      returns setof audit_log language plpgsql as $$
    declare
      st text := current_setting('audit_chain.state', true);
      s bigint;
      h text;
      r audit_log;
      ids regclass := pg_get_serial_sequence('audit_log', 'id')::regclass;
    begin
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
        -- audit_log_content(r), inlined (a SQL function called per row costs more than the hash).
        r.hash := encode(sha256(convert_to(h || jsonb_build_array(r.chain_seq, r.id, (extract(epoch from r.at) * 1000000)::bigint,
          r.actor_id, r.actor_name, r.ip, r.entity, r.entity_id, r.case_id, r.action, r.before, r.after)::text, 'UTF8')), 'hex');
        h := r.hash;
        return next r;
      end loop;
      perform set_config('audit_chain.state', s::text || ':' || h, true);
    end $$;

    create trigger audit_log_chain before insert on audit_log
      for each row when (new.hash is null) execute function audit_log_chain();
    create trigger audit_log_chain_save after insert on audit_log
      for each statement execute function audit_log_chain_save();

    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('audit_log.purging', true) = 'on'
         and old.chain_seq <= (select anchor_seq from audit_chain_head where id = 1) then
        return old;
      end if;
      raise exception 'audit_log is append-only (审计日志不可修改或删除)';
    end $$;

    create function audit_log_purge(cutoff timestamptz) returns bigint language plpgsql security definer as $$
    declare
      last_seq bigint;
      last_hash text;
      removed bigint;
    begin
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
      return removed;
    end $$;
  `.execute(db);
}
