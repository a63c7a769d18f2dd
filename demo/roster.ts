import type { Db } from '../db/client.js';
import { insertDemoUser, userIdsByUsername, usernameTaken } from '../db/repos/demo.js';
import { listRoster, listShifts } from '../db/repos/roster.js';
import { formatYmd, shanghaiParts } from '../core/business-time.js';
import { fillRosterMonth } from '../services/roster/service.js';
import { actorOfUser } from '../services/shared/actor.js';

// The demo office's 值班表: a second duty officer (值班员 张伟, the demo password) and this month and
// next filled from a weekly pattern — 白班 王敏 (backup 张伟), 夜班 张伟 (backup 王敏), the leader in
// charge on duty — so the header shows who is on duty and 交接班 has someone to hand over to.
// Only on a database with no roster yet; an office's own roster is never touched.

export const DEMO_SECOND_DUTY = { username: 'duty2', displayName: '值班员 张伟' };

export async function seedDemoRoster(db: Db, now: Date, password: string): Promise<number> {
  const today = formatYmd(shanghaiParts(now).day);
  if ((await listRoster(db, '1900-01-01', '9999-12-31')).length > 0) return 0;
  if (!(await usernameTaken(db, DEMO_SECOND_DUTY.username))) {
    const { hashPassword } = await import('../services/users/password.js');
    await insertDemoUser(db, {
      ...DEMO_SECOND_DUTY,
      role: 'duty',
      department: '市政府办公室',
      departmentKind: 'office',
      isDepartmentHead: false,
      leaderRank: null,
      passwordHash: await hashPassword(password),
    });
  }
  const users = await userIdsByUsername(db, ['admin', 'duty', DEMO_SECOND_DUTY.username, 'leader']);
  const id = (u: string) => users.get(u);
  const [admin, duty, duty2, leader] = [id('admin'), id('duty'), id(DEMO_SECOND_DUTY.username), id('leader')];
  const shifts = await listShifts(db);
  const day = shifts.find((s) => s.name === '白班');
  const night = shifts.find((s) => s.name === '夜班');
  if (admin === undefined || duty === undefined || duty2 === undefined || !day || !night) return 0;
  const actor = actorOfUser({ id: admin, displayName: '系统管理员', username: 'admin' });
  const slots = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
    { weekday, shiftId: day.id, primaryUserId: duty, backupUserId: duty2, leaderUserId: leader ?? null },
    { weekday, shiftId: night.id, primaryUserId: duty2, backupUserId: duty, leaderUserId: leader ?? null },
  ]);
  const month = today.slice(0, 7);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const nextMonth = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  let rows = 0;
  for (const mo of [month, nextMonth]) rows += (await fillRosterMonth(db, actor, { month: mo, slots }, now)).rows;
  return rows;
}
