import { ALERT_STATUS_LABELS, CATEGORY_LABELS, DISMISS_REASON_LABELS, LEVEL_LABELS } from '../../core/vocabulary.js';
import type { AlertRow } from '../../db/repos/alerts.js';
import { iso } from '../shared/present.js';
import type { AlertView } from './schema.js';

export interface AlertNames {
  rules: Map<number, string>;
  departments: Map<number, string>;
}

export function presentAlert(a: AlertRow, names: AlertNames): AlertView {
  const dept = a.suggested_department_id;
  return {
    id: a.id,
    storyId: a.story_id,
    status: a.status,
    statusLabel: ALERT_STATUS_LABELS[a.status],
    storyTitle: a.story_title,
    heat: { itemCount: a.item_count, sourceCount: a.source_count, firstSeenAt: iso(a.first_seen_at), lastSeenAt: iso(a.last_seen_at) },
    matchedWords: a.matched_words,
    rules: a.rule_ids.map((id) => ({ id, name: names.rules.get(id) ?? null })),
    suggestedLevel: a.suggested_level,
    suggestedLevelLabel: LEVEL_LABELS[a.suggested_level],
    suggestedCategory: a.suggested_category,
    suggestedCategoryLabel: CATEGORY_LABELS[a.suggested_category],
    suggestedDepartment: dept === null ? null : { id: dept, name: names.departments.get(dept) ?? null },
    spike: a.spike,
    spikeAt: iso(a.spike_at),
    negativity: a.negativity,
    firstItemUrl: a.first_item_url,
    sourceNames: a.source_names,
    places: a.places,
    dismissReason: a.dismiss_reason,
    dismissReasonLabel: a.dismiss_reason ? DISMISS_REASON_LABELS[a.dismiss_reason] : null,
    dismissedAt: iso(a.dismissed_at),
    dismissedBy: a.dismissed_by_name,
    dismissNote: a.dismiss_note,
    createdAt: iso(a.created_at),
    updatedAt: iso(a.updated_at),
  };
}
