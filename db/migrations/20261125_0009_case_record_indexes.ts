import { type Kysely, sql } from 'kysely';

// The case page (one statement since the case-detail read, db/repos/case-detail.ts) and the
// escalations list read a case's reports up (上报), referrals (移交) and coordination notes (协调) by
// case_id in time order. Those tables had only their primary keys, so each read scanned the whole
// table: nothing while they are small, a sequential scan per case page once an office has years of
// them. Indexes in the order the reads sort by. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index reports_up_case on reports_up (case_id, reported_at, id);
    create index referrals_case on referrals (case_id, referred_at, id);
    create index coordinations_case on coordinations (case_id, created_at, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index coordinations_case;
    drop index referrals_case;
    drop index reports_up_case;
  `.execute(db);
}
