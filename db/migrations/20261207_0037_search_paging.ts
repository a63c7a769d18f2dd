import { type Kysely, sql } from 'kysely';

// News search paging (core/search-source.ts): a search source reads up to N result pages of each
// query (its search_config.pages); each query keeps how many pages its last fetch read and which
// page failed, if one did (page 1's entries are kept when page 2 fails). Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table source_queries
      add column pages_read int not null default 0,
      add column failed_page int;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table source_queries drop column pages_read, drop column failed_page`.execute(db);
}
