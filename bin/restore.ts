import { resolve } from 'node:path';
import { archiveKind, BackupError, restore } from '../db/backup.js';
import { boot } from './boot.js';
import { resolveTarget } from './backup-lib.js';
import { StartupError } from './local-services.js';

// npm run restore -- <file> [--yes]
// Restores a backup into the database npm start uses (or DATABASE_URL). Stop the system first.
// A database that holds data is replaced only with --yes; the restore is one transaction.
const { config, logger } = boot('restore');
const args = process.argv.slice(2);
const usage =
  '用法 Usage: npm run restore -- <备份文件 backup file> [--yes]\n' +
  '  --yes  目标数据库已有数据时，确认用备份替换 / confirm replacing a database that holds data\n' +
  '  恢复前请先停止系统（npm start）。Stop the system (npm start) before restoring.';

if (args.includes('--help') || args.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const files = args.filter((a) => !a.startsWith('--'));
const unknown = args.filter((a) => a.startsWith('--') && a !== '--yes');
if (files.length !== 1 || unknown.length) {
  console.error(`${files.length === 0 ? '请指定备份文件 / Name the backup file' : unknown.length ? `未知参数 / Unknown option: ${unknown.join(' ')}` : '只能指定一个备份文件 / Name one backup file'}\n${usage}`);
  process.exit(2);
}
const file = resolve(files[0]);

let code = 0;
try {
  archiveKind(file); // a missing or unknown file is refused before any database is touched
  const target = await resolveTarget(config, logger);
  try {
    const r = await restore(target.url, file, { yes: args.includes('--yes') });
    console.log(
      [
        '恢复完成 / Restore finished',
        `  数据库 database   ${target.label}`,
        `  文件 file         ${r.file}`,
        `  格式 format       ${r.method === 'pg_dump' ? 'pg_dump -Fc (pg_restore --single-transaction)' : '内置逻辑格式 built-in logical（行数、校验和已逐表核对 / row counts and checksums verified）'}`,
        `  表 tables         ${r.tables}`,
        `  行 rows           ${r.rows}`,
        `  替换原有数据 replaced existing data  ${r.replaced ? '是 yes' : '否 no'}`,
        ...(r.migrationsApplied.length ? [`  升级 migrations applied after loading  ${r.migrationsApplied.join(', ')}`] : []),
        `  用时 seconds      ${r.seconds.toFixed(1)}`,
      ].join('\n'),
    );
  } finally {
    await target.close();
  }
} catch (err) {
  code = 1;
  if (err instanceof BackupError || err instanceof StartupError) console.error(`\n恢复失败 / Restore failed:\n${err.message}\n`);
  else console.error(`\n恢复失败 / Restore failed: ${err instanceof Error ? err.stack : String(err)}\n`);
}
process.exit(code);
