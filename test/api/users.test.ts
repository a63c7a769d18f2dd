import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, sessionFor, signIn, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';

// Users and departments administration: happy, error and security cases, with audit rows.

let f: ApiFixture;
let duty: SignedIn;
let deptId: number;
const fetcher = (path: string, init?: RequestInit) => f.app.request(path, init);

beforeAll(async () => {
  f = await createApiFixture('users');
  duty = await sessionFor(f.db, await createUser(f.db, { role: 'duty' }));
  deptId = (await f.db.insertInto('departments').values({ name: '住建局', kind: 'bureau' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await f.tdb.drop();
});

const audits = (entity: string, id: number) =>
  f.db.selectFrom('audit_log').selectAll().where('entity', '=', entity).where('entity_id', '=', String(id)).orderBy('id').execute();

describe('users admin', () => {
  it('creates a user who can then sign in; the audit row has no password', async () => {
    const res = await f.request('POST', '/api/users', {
      username: 'zhang_san',
      displayName: '张三',
      role: 'handler',
      departmentId: deptId,
      email: 'zs@example.cn',
      isDepartmentHead: true,
      password: 'Zhangsan-secret',
    });
    expect(res.status).toBe(201);
    const user = await res.json();
    expect(user).toMatchObject({ username: 'zhang_san', displayName: '张三', role: 'handler', departmentId: deptId, isDepartmentHead: true, disabled: false });
    expect(JSON.stringify(user)).not.toContain('argon2');
    const s = await signIn(fetcher, 'zhang_san', 'Zhangsan-secret');
    expect(s.csrfToken.length).toBeGreaterThan(20);
    const [row] = await audits('user', user.id);
    expect(row).toMatchObject({ action: 'create', actor_id: f.admin.id });
    expect(JSON.stringify(row.after)).not.toContain('argon2');

    const list = await (await f.request('GET', '/api/users')).json();
    expect(list.users.map((u: { username: string }) => u.username)).toContain('zhang_san');
    expect((await (await f.request('GET', `/api/users/${user.id}`)).json()).displayName).toBe('张三');
  });

  it('refuses a taken username (any case), a weak password, a handler without department, an unknown department', async () => {
    const base = { displayName: '李四', role: 'duty', password: 'lisi-secret-1' };
    expect((await f.request('POST', '/api/users', { ...base, username: 'dup_user' })).status).toBe(201);
    const dup = await f.request('POST', '/api/users', { ...base, username: 'DUP_USER' });
    expect(dup.status).toBe(409);
    expect((await errorOf(dup)).messageZh).toBe('用户名已被使用');
    const weak = await f.request('POST', '/api/users', { ...base, username: 'weak_pw', password: '12345678' });
    expect(weak.status).toBe(400);
    expect((await errorOf(weak)).details.issues[0].path).toBe('password');
    const noDept = await f.request('POST', '/api/users', { ...base, username: 'h_nodept', role: 'handler' });
    expect(noDept.status).toBe(400);
    expect((await errorOf(noDept)).details.issues[0]).toMatchObject({ path: 'departmentId', messageZh: '经办人必须属于一个部门' });
    const badDept = await f.request('POST', '/api/users', { ...base, username: 'bad_dept', departmentId: 99999 });
    expect(badDept.status).toBe(400);
    const badName = await f.request('POST', '/api/users', { ...base, username: 'has space' });
    expect(badName.status).toBe(400);
  });

  it('patches role, department, leader rank; 404 for an unknown user', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const res = await f.request('PATCH', `/api/users/${u.id}`, { role: 'leader', leaderRank: 'in_charge', departmentId: deptId });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ role: 'leader', leaderRank: 'in_charge', departmentId: deptId });
    const rankOnDuty = await f.request('PATCH', `/api/users/${u.id}`, { role: 'duty' });
    expect(rankOnDuty.status).toBe(400); // leaderRank still set
    expect((await f.request('PATCH', '/api/users/99999', { displayName: 'x' })).status).toBe(404);
    const rows = await audits('user', u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'update', before: expect.objectContaining({ role: 'duty' }), after: expect.objectContaining({ role: 'leader' }) });
  });

  it('disabling ends the user’s sessions and blocks sign-in; a password reset lifts a lockout', async () => {
    const u = await createUser(f.db, { role: 'reviewer' });
    const s = await signIn(fetcher, u.username, u.password);
    expect((await f.request('PATCH', `/api/users/${u.id}`, { disabled: true })).status).toBe(200);
    expect((await f.requestAs(s, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await f.request('PATCH', `/api/users/${u.id}`, { disabled: false })).status).toBe(200);

    await f.db.updateTable('users').set({ locked_until: new Date(Date.now() + 3600_000) }).where('id', '=', u.id).execute();
    const reset = await f.request('PATCH', `/api/users/${u.id}`, { password: 'Reset-by-admin' });
    expect(reset.status).toBe(200);
    expect((await reset.json()).lockedUntil).toBeNull();
    await signIn(fetcher, u.username, 'Reset-by-admin');
    expect((await audits('user', u.id)).map((r) => r.action)).toEqual(['auth.login', 'update', 'update', 'update.password_reset', 'auth.login']);
  });

  it('sets, shows and clears a mobile number; refuses a malformed one in both languages; audits only what changed', async () => {
    const created = await f.request('POST', '/api/users', { username: 'wang_wu', displayName: '王五', role: 'duty', password: 'Wangwu-secret-1', phone: '13912345678' });
    expect(created.status).toBe(201);
    const u = await created.json();
    expect(u.phone).toBe('13912345678');
    expect((await f.db.selectFrom('users').select('phone').where('id', '=', u.id).executeTakeFirstOrThrow()).phone).toBe('13912345678');

    for (const bad of ['1391234567', '12912345678', '+8613912345678', '139-1234-5678', '0139123456789']) {
      const res = await f.request('PATCH', `/api/users/${u.id}`, { phone: bad });
      expect(res.status, bad).toBe(400);
      const issue = (await errorOf(res)).details.issues[0];
      expect(issue).toMatchObject({ path: 'phone', messageZh: '须为 11 位中国大陆手机号（以 13–19 开头），或留空' });
      expect(issue.message).toMatch(/mainland mobile number/);
    }
    const badCreate = await f.request('POST', '/api/users', { username: 'zhao_liu', displayName: '赵六', role: 'duty', password: 'Zhaoliu-secret-1', phone: '110' });
    expect(badCreate.status).toBe(400);
    expect(await f.db.selectFrom('users').select('id').where('username', '=', 'zhao_liu').executeTakeFirst()).toBeUndefined();

    const changed = await f.request('PATCH', `/api/users/${u.id}`, { phone: ' 18600001111 ' });
    expect(changed.status).toBe(200);
    expect((await changed.json()).phone).toBe('18600001111');
    expect((await (await f.request('GET', `/api/users/${u.id}`)).json()).phone).toBe('18600001111');
    expect((await (await f.request('GET', '/api/users')).json()).users.find((x: { id: number }) => x.id === u.id).phone).toBe('18600001111');

    const cleared = await f.request('PATCH', `/api/users/${u.id}`, { phone: '' });
    expect((await cleared.json()).phone).toBeNull();
    expect((await f.db.selectFrom('users').select('phone').where('id', '=', u.id).executeTakeFirstOrThrow()).phone).toBeNull();
    expect((await (await f.request('PATCH', `/api/users/${u.id}`, { phone: '15500002222' })).json()).phone).toBe('15500002222');
    expect((await (await f.request('PATCH', `/api/users/${u.id}`, { phone: null })).json()).phone).toBeNull();

    // One row per change, holding only the fields that changed (not the whole user twice).
    const rows = (await audits('user', u.id)).filter((r) => r.action === 'update');
    expect(rows.map((r) => [r.before, r.after])).toEqual([
      [{ phone: '13912345678' }, { phone: '18600001111' }],
      [{ phone: '18600001111' }, { phone: null }],
      [{ phone: null }, { phone: '15500002222' }],
      [{ phone: '15500002222' }, { phone: null }],
    ]);
  });

  it('an admin cannot disable or demote themselves', async () => {
    const res = await f.request('PATCH', `/api/users/${f.admin.id}`, { disabled: true });
    expect(res.status).toBe(409);
    expect((await f.request('PATCH', `/api/users/${f.admin.id}`, { role: 'duty' })).status).toBe(409);
  });

  it('a non-admin gets 403 and changes nothing', async () => {
    const target = await createUser(f.db, { role: 'duty' });
    const res = await f.requestAs(duty, 'PATCH', `/api/users/${target.id}`, { role: 'admin' });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: 'FORBIDDEN', messageZh: '无权执行此操作' });
    expect((await f.requestAs(duty, 'GET', '/api/users')).status).toBe(403);
    expect((await f.requestAs(duty, 'POST', '/api/users', { username: 'sneaky', displayName: 'x', role: 'admin', password: 'sneaky-secret' })).status).toBe(403);
    const row = await f.db.selectFrom('users').select('role').where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(row.role).toBe('duty');
  });
});

describe('departments admin', () => {
  it('creates a tree, renames, reparents; every signed-in user reads it', async () => {
    const office = await (await f.request('POST', '/api/departments', { name: '县政府办', kind: 'office' })).json();
    const town = await f.request('POST', '/api/departments', { name: '河西镇', kind: 'town', parentId: office.id });
    expect(town.status).toBe(201);
    const t = await town.json();
    expect(t).toMatchObject({ name: '河西镇', kind: 'town', parentId: office.id });
    const renamed = await f.request('PATCH', `/api/departments/${t.id}`, { name: '河西街道', parentId: null });
    expect(await renamed.json()).toMatchObject({ name: '河西街道', parentId: null });
    const handler = await sessionFor(f.db, await createUser(f.db, { role: 'handler', departmentId: deptId }));
    const list = await (await f.requestAs(handler, 'GET', '/api/departments')).json();
    expect(list.departments.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['县政府办', '河西街道']));
    expect((await audits('department', t.id)).map((r) => r.action)).toEqual(['create', 'update']);
  });

  it('refuses a cycle, a duplicate name, an unknown parent', async () => {
    const a = await (await f.request('POST', '/api/departments', { name: '甲部门' })).json();
    const b = await (await f.request('POST', '/api/departments', { name: '乙部门', parentId: a.id })).json();
    expect((await f.request('PATCH', `/api/departments/${a.id}`, { parentId: b.id })).status).toBe(400);
    expect((await f.request('PATCH', `/api/departments/${a.id}`, { parentId: a.id })).status).toBe(400);
    expect((await f.request('POST', '/api/departments', { name: '甲部门' })).status).toBe(409);
    expect((await f.request('POST', '/api/departments', { name: '丙部门', parentId: 99999 })).status).toBe(400);
  });

  it('deletes an unused department; refuses one in use with 409; 404 for unknown', async () => {
    const unused = await (await f.request('POST', '/api/departments', { name: '临时部门' })).json();
    const del = await f.request('DELETE', `/api/departments/${unused.id}`);
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ id: unused.id, deleted: true });
    expect((await audits('department', unused.id)).map((r) => r.action)).toEqual(['create', 'delete']);

    const used = await f.request('DELETE', `/api/departments/${deptId}`); // has users
    expect(used.status).toBe(409);
    expect((await errorOf(used)).messageZh).toContain('仍在使用中');
    expect((await f.request('DELETE', '/api/departments/99999')).status).toBe(404);
  });

  it('a non-admin cannot edit departments', async () => {
    expect((await f.requestAs(duty, 'POST', '/api/departments', { name: '越权部门' })).status).toBe(403);
    expect((await f.requestAs(duty, 'DELETE', `/api/departments/${deptId}`)).status).toBe(403);
    expect((await f.requestAs(null, 'GET', '/api/departments')).status).toBe(401);
  });
});
