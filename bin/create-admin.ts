import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createDb } from '../db/client.js';
import { resolveAuditKey } from '../platform/audit-key.js';
import { migrateToLatest } from '../db/migrate.js';
import { writeAudit } from '../db/repos/audit.js';
import { findUserByUsername, insertUser } from '../db/repos/users.js';
import { hashPassword, passwordProblem } from '../services/users/password.js';
import { boot, fail } from './boot.js';
import { startEmbeddedPostgres } from './local-services.js';

// `npm run create-admin [-- --username NAME --password PW --display-name 名字]`: creates an
// administrator. Outside the demo this is how the first account comes to exist (no default
// passwords). Missing values are asked for on the terminal (the password without echo), or read
// line by line from stdin when it is not a terminal. Uses DATABASE_URL, else the embedded Postgres
// under DATA_DIR like `npm start`.

const { config, logger } = boot('create-admin');

const { values: args } = parseArgs({
  options: { username: { type: 'string' }, password: { type: 'string' }, 'display-name': { type: 'string' } },
  strict: true,
});

const stdinLines: string[] = [];
let stdinDone: Promise<void> | null = null;
function readStdinLines(): Promise<void> {
  stdinDone ??= new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (l) => stdinLines.push(l));
    rl.on('close', () => resolve());
  });
  return stdinDone;
}

async function ask(question: string, secret: boolean): Promise<string> {
  if (!process.stdin.isTTY) {
    await readStdinLines();
    return (stdinLines.shift() ?? '').trim();
  }
  process.stdout.write(question);
  return new Promise((resolve) => {
    const stdin = process.stdin;
    let value = '';
    stdin.setRawMode?.(secret);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\n' || ch === '\r' || ch === '\u0004') {
          stdin.setRawMode?.(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          return resolve(value.trim());
        }
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
        if (!secret) process.stdout.write(ch);
      }
    };
    stdin.on('data', onData);
  });
}

class Refusal extends Error {}
function refuse(message: string): never {
  throw new Refusal(message);
}

let stopPg: (() => Promise<void>) | null = null;
try {
  const username = args.username ?? (await ask('管理员用户名 / admin username: ', false));
  if (!/^[A-Za-z0-9_.-]{2,64}$/.test(username)) refuse('用户名只能包含字母、数字、_ . -（2–64 个字符）/ username: letters, digits, _ . - (2–64)');
  let password = args.password;
  if (password === undefined) {
    password = await ask('密码 / password: ', true);
    const again = await ask('再次输入密码 / repeat password: ', true);
    if (again !== password) refuse('两次输入的密码不一致 / the passwords differ');
  }
  const problem = passwordProblem(username, password, config);
  if (problem) refuse(`密码${problem.messageZh} / password ${problem.message}`);

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres(config.DATA_DIR, logger);
    stopPg = pg.stop;
    databaseUrl = pg.url;
  }
  const db = createDb(databaseUrl, { max: 2, applicationName: 'opinion-desk-create-admin', auditKey: resolveAuditKey(config) });
  try {
    await migrateToLatest(db);
    if (await findUserByUsername(db, username)) refuse(`用户名 ${username} 已存在 / username ${username} already exists`);
    const passwordHash = await hashPassword(password);
    const user = await db.transaction().execute(async (trx) => {
      const row = await insertUser(trx, {
        username,
        display_name: args['display-name'] ?? username,
        role: 'admin',
        department_id: null,
        leader_rank: null,
        email: null,
        password_hash: passwordHash,
      });
      await writeAudit(trx, {
        actor: { id: null, name: 'create-admin', ip: '' },
        entity: 'user',
        entityId: row.id,
        action: 'create',
        after: { id: row.id, username: row.username, role: row.role },
      });
      return row;
    });
    console.log(`已创建管理员 ${user.username}（编号 ${user.id}）/ administrator ${user.username} created (id ${user.id})`);
  } finally {
    await db.destroy();
  }
  await stopPg?.();
} catch (err) {
  await stopPg?.().catch(() => {});
  if (err instanceof Refusal) {
    console.error(err.message);
    process.exit(1);
  }
  fail(logger, err);
}
