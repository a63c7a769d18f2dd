import { z } from '@hono/zod-openapi';

// Schema pieces shared by modules.

export const DateTime = z.string().openapi({ format: 'date-time', example: '2026-11-25T08:00:00.000Z' });

export const Limit = (dflt: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(dflt).openapi({ example: dflt });

export const Cursor = z.string().max(200).optional().openapi({ description: '上一页返回的 nextCursor' });

export const QueryDate = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .optional()
  .openapi({ type: 'string', format: 'date-time' });

export const BigId = z.string().refine((s) => /^[1-9][0-9]{0,17}$/.test(s), { message: 'must be a positive integer id', params: { messageZh: '必须是正整数编号' } });

/** A story's heat: how many items, from how many sources, over what span. */
export const Heat = z
  .object({ itemCount: z.number().int(), sourceCount: z.number().int(), firstSeenAt: DateTime, lastSeenAt: DateTime })
  .openapi('Heat');
