import type { ItemRow } from '../../db/repos/items.js';
import { iso } from '../shared/present.js';
import type { ItemView } from './schema.js';

export function presentItem(i: ItemRow): ItemView {
  return {
    id: i.id,
    sourceId: i.source_id,
    sourceName: i.source_name,
    mediaType: i.media_type,
    storyId: i.story_id,
    url: i.url,
    title: i.title,
    text: i.text,
    author: i.author,
    publishedAt: iso(i.published_at),
    publishedAtEstimated: i.published_at_estimated,
    fetchedAt: iso(i.fetched_at),
    negativity: i.negativity,
    matchedRuleIds: i.matched_rule_ids,
    matchedWords: i.matched_words,
    places: i.places,
    alert: i.alert_id === null || i.alert_status === null ? null : { id: i.alert_id, status: i.alert_status, caseId: i.alert_case_id },
  };
}
