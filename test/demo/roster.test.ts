import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SECOND_DUTY, seedDemoRoster } from '../../demo/roster.js';
import { seedDemo, seedDemoUsers } from '../../demo/seed.js';
import { onDutyNow } from '../../services/roster/service.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

// The demo office's roster: a second duty officer and two months filled, 白班 王敏 and 夜班 张伟, so
// `npm start` shows who is on duty and has someone to hand over to; never over an existing roster.

const NOW = new Date('2026-12-16T02:00:00Z'); // Wednesday 10:00 Beijing
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb('demoroster');
  await seedDemo(t.db, 'http://127.0.0.1:3100');
  await seedDemoUsers(t.db, 'demo-password-1');
});
afterAll(async () => {
  await t?.drop();
});

describe('demo roster', () => {
  it('fills December and January (two shifts a day) and adds the second duty officer', async () => {
    expect(await seedDemoRoster(t.db, NOW, 'demo-password-1')).toBe((31 + 31) * 2);
    const names = async (at: Date) => {
      const d = await onDutyNow(t.db, at);
      const u = await t.db.selectFrom('users').select('username').where('id', '=', d!.primary).executeTakeFirstOrThrow();
      return u.username;
    };
    expect(await names(NOW)).toBe('duty');
    expect(await names(new Date('2026-12-16T13:00:00Z'))).toBe(DEMO_SECOND_DUTY.username); // 21:00
    expect(await names(new Date('2027-01-20T01:00:00Z'))).toBe('duty'); // next month, 09:00
  });

  it('leaves an existing roster alone', async () => {
    expect(await seedDemoRoster(t.db, NOW, 'demo-password-1')).toBe(0);
  });
});
