import { z } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';

export const LoginInput = z
  .object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) })
  .openapi('LoginInput');

export const PasswordChangeInput = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) })
  .openapi('PasswordChangeInput');

export const SessionUserView = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    departmentId: z.number().int().nullable(),
    isDepartmentHead: z.boolean(),
    leaderRank: z.enum(['in_charge', 'principal']).nullable(),
  })
  .openapi('SessionUser');

export const SessionView = z.object({ user: SessionUserView, csrfToken: z.string() }).openapi('Session');
export const OkView = z.object({ ok: z.literal(true) }).openapi('Ok');
export const PasswordChangedView = z.object({ ok: z.literal(true), csrfToken: z.string() }).openapi('PasswordChanged');
