import { z } from '@hono/zod-openapi';
import { PUSH_MODES } from '../../core/alert-push.js';
import { LEVELS } from '../../core/vocabulary.js';

/** An alert push policy (core/alert-push.ts PushPolicy), for the office default and per rule. */
export const PushPolicySchema = z
  .object({
    mode: z.enum(PUSH_MODES).openapi({ description: 'all: 全部推送; filter: 满足任一条件才推送; none: 不推送' }),
    negative: z.boolean().default(false),
    spike: z.boolean().default(false),
    minHeat: z.number().int().min(1).max(100000).nullable().default(null),
    minLevel: z.enum(LEVELS).nullable().default(null),
    ackMinutes: z.number().int().min(1).max(24 * 60).default(15),
    heightenedAckMinutes: z.number().int().min(1).max(24 * 60).default(5),
    groupChannelId: z.number().int().min(1).nullable().default(null),
  })
  .strict()
  .openapi('PushPolicy');
