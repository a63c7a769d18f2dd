import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './import-graph.js';

// db/ is the only place with SQL: repos are functions named for what they do (db/repos/<noun>.ts).
// Everything above them calls those functions; a query builder or a sql template anywhere else
// fails this test.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLOORS = ['core', 'platform', 'services', 'server', 'worker', 'demo', 'bin', 'web'];

/**
 * SQL that is still to move into db/repos, by file: the list only shrinks (a file listed here that
 * no longer holds SQL fails the test too, so the entry is removed with the move).
 */
const NOT_YET_MOVED: Record<string, string> = {
};

const PATTERNS: readonly [string, RegExp][] = [
  ['a query builder', /\.\s*(?:selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto|selectNoFrom)\s*\(/],
  ['a sql template', /\bsql\s*(?:<[^`]*?>)?\s*`/],
  ['a sql helper', /\bsql\s*\.\s*(?:ref|raw|lit|join|table|id|val|lit)\s*\(/],
  ['sql imported from kysely', /import\s*\{[^}]*\bsql\b[^}]*\}\s*from\s*['"]kysely['"]/],
];

export function sqlIn(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const [what, re] of PATTERNS) {
    const m = re.exec(code);
    if (m) found.push(`${code.slice(0, m.index).split('\n').length}: ${what}`);
  }
  return found;
}

function filesWithSql(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const floor of FLOORS) {
    for (const file of sourceFiles(ROOT, floor)) {
      if (/\.test\.tsx?$/.test(file)) continue;
      const hits = sqlIn(readFileSync(join(ROOT, file), 'utf8'));
      if (hits.length > 0) out.set(file, hits);
    }
  }
  return out;
}

describe('no SQL outside db/', () => {
  const found = filesWithSql();

  it('has no query builder or sql template outside db/ (but the listed files not yet moved)', () => {
    const bad = [...found].filter(([file]) => !(file in NOT_YET_MOVED)).map(([file, hits]) => `${file}:${hits.join(', ')}`);
    expect(bad).toEqual([]);
  });

  it('lists only files that still hold SQL', () => {
    expect(Object.keys(NOT_YET_MOVED).filter((file) => !found.has(file))).toEqual([]);
  });

  it('catches builders, templates and the sql import, and not types or comments', () => {
    expect(sqlIn("const c = await deps.db.selectFrom('cases').selectAll().executeTakeFirst();")).toEqual(['1: a query builder']);
    expect(sqlIn('await trx\n  .insertInto(\'users\')\n  .values(u)')).toEqual(['2: a query builder']);
    expect(sqlIn('await sql`select 1`.execute(db);')).toEqual(['1: a sql template']);
    expect(sqlIn('const x = sql<string>`obligation_id::text`;')).toEqual(['1: a sql template']);
    expect(sqlIn("where(sql.ref('cases.id'), '=', id)")).toEqual(['1: a sql helper']);
    expect(sqlIn("import { sql } from 'kysely';")).toEqual(['1: sql imported from kysely']);
    expect(sqlIn("import type { Selectable, Updateable } from 'kysely';")).toEqual([]);
    expect(sqlIn('// the repo runs selectFrom(...) and sql`...`\nconst sqlText = 1;')).toEqual([]);
  });
});
