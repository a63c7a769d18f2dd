import { z } from '@hono/zod-openapi';
import { AlertView } from '../alerts/schema.js';
import { ItemView } from '../items/schema.js';
import { Heat } from '../shared/schema.js';

export const StoryView = z
  .object({ id: z.string(), title: z.string(), heat: Heat, items: z.array(ItemView), alert: AlertView.nullable() })
  .openapi('Story');
export type StoryView = z.infer<typeof StoryView>;
