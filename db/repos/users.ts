import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { UsersTable } from '../schema-auth.js';
import type { Insertable, Updateable } from 'kysely';

export async function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function findUser(db: Db, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Db) {
  return db.selectFrom('users').selectAll().orderBy('id').execute();
}

export async function insertUser(db: Db, values: Insertable<UsersTable>) {
  return db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateUser(db: Db, id: number, values: Updateable<UsersTable>) {
  return db.updateTable('users').set(values).where('id', '=', id).returningAll().executeTakeFirst();
}

/** How to reach these users (e-mail, phone, name), for a notice's deliveries. */
export async function contactsOf(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'email', 'phone', 'display_name']).where('id', 'in', [...ids]).execute();
}
