import { resolve } from 'node:path';
import { backup, BackupError, humanBytes, type BackupMethod } from '../db/backup.js';
import { boot } from './boot.js';
import { resolveTarget } from './backup-lib.js';
import { StartupError } from './local-services.js';

// npm run backup [-- --out <file>] [--method auto|copy|pg_dump]
// Backs up the database npm start uses (or DATABASE_URL); safe while the system runs.
const { config, logger } = boot('backup');
const args = process.argv.slice(2);
const usage =
  '用法 Usage: npm run backup [-- --out <文件 file>] [--method auto|copy|pg_dump]\n' +
  '  --out     备份文件（默认 backups/opinion-desk-<时间>.backup） / output file\n' +
  '  --method  auto：有与数据库同版本或更新的 pg_dump 时用它，否则用内置格式 / auto: pg_dump when a new enough one exists, else the built-in format';

function opt(name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = args[i + 1];
  if (!v || v.startsWith('--')) {
    console.error(`${name} 缺少参数值 / ${name} needs a value\n${usage}`);
    process.exit(2);
  }
  return v;
}

if (args.includes('--help') || args.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const method = (opt('--method') ?? 'auto') as BackupMethod;
if (!['auto', 'copy', 'pg_dump'].includes(method)) {
  console.error(`--method 只能是 auto、copy 或 pg_dump / --method must be auto, copy or pg_dump\n${usage}`);
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\..*$/, '');
let out = opt('--out');

let code = 0;
try {
  const target = await resolveTarget(config, logger);
  try {
    if (!out) {
      const { mkdirSync } = await import('node:fs');
      mkdirSync('backups', { recursive: true });
      out = `backups/opinion-desk-${stamp}.backup`;
    }
    const r = await backup(target.url, resolve(out), method);
    const top = Object.entries(r.perTable).sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(
      [
        '备份完成 / Backup written',
        `  数据库 database   ${target.label}`,
        `  文件 file         ${r.file}`,
        `  大小 size         ${humanBytes(r.bytes)} (${r.bytes} bytes)`,
        `  格式 format       ${r.method === 'pg_dump' ? `pg_dump -Fc，${r.tool}` : '内置逻辑格式 built-in logical (gzip + COPY + manifest)'}`,
        `  表 tables         ${r.tables}`,
        `  行 rows           ${r.rows}（${top.map(([t, n]) => `${t} ${n}`).join('，')}${r.tables > top.length ? '，…' : ''}）`,
        `  用时 seconds      ${r.seconds.toFixed(1)}`,
        `  恢复 restore      npm run restore -- ${r.file}`,
      ].join('\n'),
    );
  } finally {
    await target.close();
  }
} catch (err) {
  code = 1;
  if (err instanceof BackupError || err instanceof StartupError) console.error(`\n备份失败 / Backup failed:\n${err.message}\n`);
  else console.error(`\n备份失败 / Backup failed: ${err instanceof Error ? err.stack : String(err)}\n`);
}
process.exit(code);
