import { type Kysely, sql } from 'kysely';

// 国办发〔2016〕61号 asks the 1 h / 5 h / 24 h press-conference track of 重大、特别重大 突发事件 only;
// the first default policy gave it to every 突发事件. A stored general or significant emergency rule
// that still holds exactly that earlier default (the administrator never changed it) becomes the
// new default: a 1 h report upward and the 48 h public response. A rule the administrator edited is
// kept. Open cases keep the obligations they were opened with; the rule applies to cases opened
// from now on, as every policy change does. Frozen in time (Kysely<any>).

const OLD_EMERGENCY = JSON.stringify([
  { kind: 'report', window: { hours: 1, unit: 'natural' } },
  { kind: 'info', window: { hours: 5, unit: 'natural' } },
  { kind: 'press', window: { hours: 24, unit: 'natural' } },
  { kind: 'update', window: { hours: 24, unit: 'natural' }, repeatEveryHours: 24 },
]);

const NEW_EMERGENCY = JSON.stringify([
  { kind: 'report', window: { hours: 1, unit: 'natural' } },
  { kind: 'response', window: { hours: 48, unit: 'natural' } },
]);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update policies
       set obligations = ${NEW_EMERGENCY}::jsonb, updated_by = null, updated_at = now()
     where category = 'emergency'
       and level in ('general', 'significant')
       and obligations = ${OLD_EMERGENCY}::jsonb
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    update policies
       set obligations = ${OLD_EMERGENCY}::jsonb, updated_by = null, updated_at = now()
     where category = 'emergency'
       and level in ('general', 'significant')
       and obligations = ${NEW_EMERGENCY}::jsonb
  `.execute(db);
}
