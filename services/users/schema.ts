import { z } from '@hono/zod-openapi';
import { ROLES } from '../../core/vocabulary.js';

const LeaderRank = z.enum(['in_charge', 'principal']);
const Username = z
  .string()
  .refine((s) => /^[A-Za-z0-9_.-]{2,64}$/.test(s), {
    message: 'letters, digits, _ . - (2–64)',
    params: { messageZh: '只能包含字母、数字、_ . -（2–64 个字符）' },
  });

export const UserView = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    departmentId: z.number().int().nullable(),
    isDepartmentHead: z.boolean(),
    leaderRank: LeaderRank.nullable(),
    email: z.string().nullable(),
    disabled: z.boolean(),
    lockedUntil: z.string().nullable(),
    passwordChangedAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const UserList = z.object({ users: z.array(UserView) }).openapi('UserList');

export const UserCreate = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(ROLES),
    departmentId: z.number().int().positive().nullable().optional(),
    email: z.string().email().max(200).nullable().optional(),
    isDepartmentHead: z.boolean().optional(),
    leaderRank: LeaderRank.nullable().optional(),
    password: z.string().min(1).max(200),
  })
  .strict()
  .openapi('UserCreate');
export type UserCreate = z.infer<typeof UserCreate>;

export const UserPatch = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    departmentId: z.number().int().positive().nullable().optional(),
    email: z.string().email().max(200).nullable().optional(),
    isDepartmentHead: z.boolean().optional(),
    leaderRank: LeaderRank.nullable().optional(),
    disabled: z.boolean().optional(),
    /** A new password set by the administrator (also lifts a lockout and ends the user's sessions). */
    password: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi('UserPatch');
export type UserPatch = z.infer<typeof UserPatch>;
