import { type Kysely, sql } from 'kysely';

// Place names (地域) of the office's own area. area_settings (one row) is what the admin picked: a
// county of the administrative divisions and the names the office adds by hand (开发区, new 社区,
// aliases such as 东关 for 东关村). area_places is the gazetteer built from both when the area is
// saved: 乡镇/街道 (towns) and 村/社区 (villages) with their codes and parents. Each item keeps the
// codes of the places its text names (place_towns, place_villages; GIN-indexed for the 乡镇 filter);
// an alert's and a case's places are those of their items. place_labels() writes the codes as
// people read them (龙山镇石桥村). Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table area_settings (
      id smallint primary key default 1 check (id = 1),
      county_code text check (county_code ~ '^[0-9]{6}$'),
      area_name text not null default '',
      extras jsonb not null default '[]',
      version integer not null default 0,
      updated_at timestamptz not null default now(),
      updated_by integer references users(id) on delete set null
    );
    insert into area_settings default values;
    create table area_places (
      code text primary key,
      name text not null check (length(name) between 1 and 40),
      kind text not null check (kind in ('town', 'village')),
      parent_code text references area_places(code) on delete cascade deferrable initially deferred,
      aliases text[] not null default '{}',
      by_office boolean not null default false,
      check ((kind = 'town') = (parent_code is null))
    );
    create index area_places_parent on area_places (parent_code);
    alter table items
      add column place_towns text[] not null default '{}',
      add column place_villages text[] not null default '{}';
    create index items_place_towns on items using gin (place_towns);

    create function place_labels(towns text[], villages text[]) returns text[] language sql stable as $$
      select coalesce(array_agg(label order by ord, label), '{}') from (
        select min(ord) as ord, label from (
          select v.ord, coalesce(t.name, '') || p.name as label
            from unnest(villages) with ordinality as v(code, ord)
            join area_places p on p.code = v.code
            left join area_places t on t.code = p.parent_code
          union all
          select 100000 + u.ord, p.name
            from unnest(towns) with ordinality as u(code, ord)
            join area_places p on p.code = u.code
            where not exists (select 1 from area_places pv where pv.code = any(villages) and pv.parent_code = u.code)
        ) x group by label
      ) y
    $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop function place_labels(text[], text[]);
    drop index items_place_towns;
    alter table items drop column place_towns, drop column place_villages;
    drop table area_places;
    drop table area_settings;
  `.execute(db);
}
