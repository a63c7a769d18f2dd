import { findAlertByStory } from '../../db/repos/alerts.js';
import { listItems } from '../../db/repos/items.js';
import { findStory } from '../../db/repos/stories.js';
import { notFound } from '../../platform/errors.js';
import { presentAlerts } from '../alerts/service.js';
import { presentItem } from '../items/present.js';
import type { ModuleDeps } from '../shared/deps.js';
import { iso } from '../shared/present.js';
import type { StoryView } from './schema.js';

/** How many of a story's items the story view carries; GET /api/items?storyId= pages through all. */
export const STORY_ITEMS_SHOWN = 200;

export async function getStory(deps: ModuleDeps, id: string): Promise<StoryView> {
  const story = await findStory(deps.db, id);
  if (!story) throw notFound('Story', '同题聚合');
  const [items, alertRow] = await Promise.all([listItems(deps.db, { storyId: id, limit: STORY_ITEMS_SHOWN }), findAlertByStory(deps.db, id)]);
  return {
    id: story.id,
    title: story.title,
    heat: { itemCount: story.item_count, sourceCount: story.source_count, firstSeenAt: iso(story.first_seen_at), lastSeenAt: iso(story.last_seen_at) },
    items: items.map(presentItem),
    alert: alertRow ? (await presentAlerts(deps, [alertRow]))[0] : null,
  };
}
