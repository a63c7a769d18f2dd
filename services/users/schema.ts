import { z } from '@hono/zod-openapi';
import { ROLES } from '../../core/vocabulary.js';

const LeaderRank = z.enum(['in_charge', 'principal']);
const Username = z
  .string()
  .refine((s) => /^[A-Za-z0-9_.-]{2,64}$/.test(s), {
    message: 'letters, digits, _ . - (2–64)',
    params: { messageZh: '只能包含字母、数字、_ . -（2–64 个字符）' },
  });

/** A mainland mobile number: 11 digits starting with 13–19 (where SMS pushes go). */
export const MOBILE_PHONE = /^1[3-9]\d{9}$/;
/** A mobile number, or empty / null for none (the service stores empty as null). */
const Phone = z
  .string()
  .trim()
  .refine((s) => s === '' || MOBILE_PHONE.test(s), {
    message: 'must be a mainland mobile number (11 digits starting with 13–19) or empty',
    params: { messageZh: '须为 11 位中国大陆手机号（以 13–19 开头），或留空' },
  })
  .nullable()
  .openapi({ description: '手机号（短信推送用），空串或 null 表示不设置', example: '13800138000' });

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
    phone: z.string().nullable(),
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
    phone: Phone.optional(),
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
    phone: Phone.optional(),
    isDepartmentHead: z.boolean().optional(),
    leaderRank: LeaderRank.nullable().optional(),
    disabled: z.boolean().optional(),
    /** A new password set by the administrator (also lifts a lockout and ends the user's sessions). */
    password: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi('UserPatch');
export type UserPatch = z.infer<typeof UserPatch>;
