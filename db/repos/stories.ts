import type { Db } from '../client.js';

export async function findStory(db: Db, id: string) {
  return db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
}
