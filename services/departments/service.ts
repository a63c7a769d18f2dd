import type { Department } from '../../db/schema.js';
import { writeAudit } from '../../db/repos/audit.js';
import {
  ancestorIds,
  deleteDepartment,
  departmentExists,
  departmentUsage,
  findDepartment,
  insertDepartment,
  listDepartments,
  updateDepartment,
} from '../../db/repos/departments.js';
import { conflict, fieldError, notFound } from '../../platform/errors.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { DepartmentCreate, DepartmentPatch } from './schema.js';

// Departments form a small tree (office, bureaus, towns) via parentId. A department still referred
// to (by child departments, users, rules or cases) cannot be deleted: 409 naming what uses it.

export function presentDepartment(d: Department) {
  return { id: d.id, name: d.name, kind: d.kind, parentId: d.parent_id };
}

export async function listAll(deps: ModuleDeps) {
  return (await listDepartments(deps.db)).map(presentDepartment);
}

async function checkParent(deps: ModuleDeps, id: number | null, parentId: number | null): Promise<void> {
  if (parentId === null) return;
  if (!(await departmentExists(deps.db, parentId))) throw fieldError('parentId', 'does not exist', '上级部门不存在');
  if (id !== null && (parentId === id || (await ancestorIds(deps.db, parentId)).includes(id))) {
    throw fieldError('parentId', 'would make a cycle', '不能把部门挂到自己或自己的下级部门之下');
  }
}

export async function create(deps: ModuleDeps, input: DepartmentCreate, actor: Actor) {
  const parentId = input.parentId ?? null;
  await checkParent(deps, null, parentId);
  return deps.db.transaction().execute(async (trx) => {
    const row = await insertDepartment(trx, { name: input.name, kind: input.kind ?? 'bureau', parent_id: parentId });
    const view = presentDepartment(row);
    await writeAudit(trx, { actor, entity: 'department', entityId: row.id, action: 'create', after: view });
    return view;
  });
}

export async function patch(deps: ModuleDeps, id: number, input: DepartmentPatch, actor: Actor) {
  const before = await findDepartment(deps.db, id);
  if (!before) throw notFound('Department', '部门');
  if (input.parentId !== undefined) await checkParent(deps, id, input.parentId);
  return deps.db.transaction().execute(async (trx) => {
    const row = await updateDepartment(trx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
      updated_at: deps.now(),
    });
    if (!row) throw notFound('Department', '部门');
    const view = presentDepartment(row);
    await writeAudit(trx, { actor, entity: 'department', entityId: id, action: 'update', before: presentDepartment(before), after: view });
    return view;
  });
}

export async function remove(deps: ModuleDeps, id: number, actor: Actor): Promise<void> {
  const before = await findDepartment(deps.db, id);
  if (!before) throw notFound('Department', '部门');
  const inUse = () => conflict('The department is in use', '该部门仍在使用中（有下级部门、用户、监测方案或舆情事件），不能删除', usage);
  const usage = await departmentUsage(deps.db, id);
  if (usage.children + usage.users + usage.rules + usage.cases > 0) throw inUse();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await deleteDepartment(trx, id);
      await writeAudit(trx, { actor, entity: 'department', entityId: id, action: 'delete', before: presentDepartment(before) });
    });
  } catch (err) {
    // A reference added meanwhile, or by a table this check does not know yet.
    if ((err as { code?: unknown }).code === '23503') throw inUse();
    throw err;
  }
}
