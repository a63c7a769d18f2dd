import type { Db } from '../../db/client.js';
import type { NewItem } from '../../db/schema.js';
import { testContext } from '../helpers/factories.js';

// Route tests share one fixture (test/helpers/app.ts) and one set of row factories
// (test/helpers/factories.ts); these are the database-first forms the older tests call.

export { createApiFixture, errorOf, type ApiFixture, type ErrorJson } from '../helpers/app.js';

export async function makeSource(db: Db, over: { name?: string; url?: string } = {}): Promise<number> {
  return (await testContext(db).newSource(over)).id;
}

export async function makeStory(db: Db, title: string, at: Date, over: { itemCount?: number; sourceCount?: number } = {}): Promise<string> {
  return (await testContext(db).newStory({ title, at, ...over })).id;
}

export async function makeItem(db: Db, sourceId: number, over: Partial<Omit<NewItem, 'source_id'>> & { title: string }): Promise<string> {
  return (await testContext(db).newItem(sourceId, over)).id;
}
