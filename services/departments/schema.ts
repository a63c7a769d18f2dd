import { z } from '@hono/zod-openapi';
import { DEPARTMENT_KINDS } from '../../core/vocabulary.js';

export const DepartmentView = z
  .object({ id: z.number().int(), name: z.string(), kind: z.enum(DEPARTMENT_KINDS), parentId: z.number().int().nullable() })
  .openapi('Department');

export const DepartmentList = z.object({ departments: z.array(DepartmentView) }).openapi('DepartmentList');

export const DepartmentCreate = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(DEPARTMENT_KINDS).optional(),
    parentId: z.number().int().positive().nullable().optional(),
  })
  .strict()
  .openapi('DepartmentCreate');
export type DepartmentCreate = z.infer<typeof DepartmentCreate>;

export const DepartmentPatch = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    kind: z.enum(DEPARTMENT_KINDS).optional(),
    parentId: z.number().int().positive().nullable().optional(),
  })
  .strict()
  .openapi('DepartmentPatch');
export type DepartmentPatch = z.infer<typeof DepartmentPatch>;
