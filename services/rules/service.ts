import type { Updateable } from 'kysely';
import { compileRules, matchItem, parseRule, RuleSyntaxError } from '../../core/rules/index.js';
import { CATEGORY_LABELS, LEVEL_LABELS } from '../../core/vocabulary.js';
import { departmentExists } from '../../db/repos/departments.js';
import { latestItems } from '../../db/repos/items.js';
import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/rules.js';
import { toPolicy } from '../../db/repos/alert-pushes.js';
import type { Rule, RulesTable } from '../../db/schema.js';
import { AppError, fieldError, notFound } from '../../platform/errors.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { iso } from '../shared/present.js';
import type { RuleCreate, RulePatch, RuleTestInput, RuleTestResult, RuleView } from './schema.js';

// Monitoring rules (监测方案): each create, edit and delete writes its audit row in the transaction
// of the change.

const ruleNotFound = () => notFound('Rule', '监测方案');

/** What an audit row records of a rule: every field an admin sets. */
function auditedRule(r: Rule) {
  return {
    name: r.name,
    expression: r.expression,
    scope: r.scope,
    negativeOnly: r.negative_only,
    suggestedLevel: r.suggested_level,
    suggestedCategory: r.suggested_category,
    suggestedDepartmentId: r.suggested_department_id,
    enabled: r.enabled,
    pushPolicy: r.push_policy ?? null,
  };
}

type RuleRow = NonNullable<Awaited<ReturnType<typeof repo.findRule>>>;

export function presentRule(r: RuleRow): RuleView {
  return {
    id: r.id,
    name: r.name,
    expression: r.expression,
    scope: r.scope,
    negativeOnly: r.negative_only,
    suggestedLevel: r.suggested_level,
    suggestedLevelLabel: LEVEL_LABELS[r.suggested_level],
    suggestedCategory: r.suggested_category,
    suggestedCategoryLabel: CATEGORY_LABELS[r.suggested_category],
    suggestedDepartmentId: r.suggested_department_id,
    suggestedDepartmentName: r.department_name,
    enabled: r.enabled,
    pushPolicy: toPolicy(r.push_policy),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** 400 VALIDATION with details {field, position, message, messageZh} when the expression does not parse. */
export function assertExpression(expression: string): void {
  try {
    parseRule(expression);
  } catch (e) {
    if (!(e instanceof RuleSyntaxError)) throw e;
    throw new AppError({
      code: 'VALIDATION',
      message: `Rule expression error at position ${e.position}: ${e.message}`,
      messageZh: `监测方案表达式有误（第 ${e.position + 1} 个字符）：${e.messageZh}`,
      details: { field: 'expression', position: e.position, message: e.message, messageZh: e.messageZh },
    });
  }
}

async function assertDepartment(deps: ModuleDeps, id: number | null | undefined): Promise<void> {
  if (id != null && !(await departmentExists(deps.db, id))) {
    throw fieldError('suggestedDepartmentId', 'does not exist', '对应的部门不存在');
  }
}

export async function getRule(deps: ModuleDeps, id: number): Promise<RuleView> {
  const r = await repo.findRule(deps.db, id);
  if (!r) throw ruleNotFound();
  return presentRule(r);
}

export async function listRules(deps: ModuleDeps): Promise<RuleView[]> {
  return (await repo.listRules(deps.db)).map(presentRule);
}

export async function createRule(deps: ModuleDeps, input: RuleCreate, actor: Actor): Promise<RuleView> {
  assertExpression(input.expression);
  await assertDepartment(deps, input.suggestedDepartmentId);
  const now = deps.now();
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.insertRule(trx, {
      name: input.name,
      expression: input.expression,
      scope: input.scope,
      negative_only: input.negativeOnly,
      suggested_level: input.suggestedLevel,
      suggested_category: input.suggestedCategory,
      suggested_department_id: input.suggestedDepartmentId,
      enabled: input.enabled,
      push_policy: input.pushPolicy === null ? null : JSON.stringify(input.pushPolicy),
      created_at: now,
      updated_at: now,
    });
    await writeAudit(trx, { actor, entity: 'rule', entityId: row.id, action: 'rule.create', after: auditedRule(row) });
    return row.id;
  });
  return getRule(deps, id);
}

export async function updateRule(deps: ModuleDeps, id: number, p: RulePatch, actor: Actor): Promise<RuleView> {
  if (p.expression !== undefined) assertExpression(p.expression);
  await assertDepartment(deps, p.suggestedDepartmentId);
  const set: Updateable<RulesTable> = {
    ...(p.name !== undefined && { name: p.name }),
    ...(p.expression !== undefined && { expression: p.expression }),
    ...(p.scope !== undefined && { scope: p.scope }),
    ...(p.negativeOnly !== undefined && { negative_only: p.negativeOnly }),
    ...(p.suggestedLevel !== undefined && { suggested_level: p.suggestedLevel }),
    ...(p.suggestedCategory !== undefined && { suggested_category: p.suggestedCategory }),
    ...(p.suggestedDepartmentId !== undefined && { suggested_department_id: p.suggestedDepartmentId }),
    ...(p.enabled !== undefined && { enabled: p.enabled }),
    ...(p.pushPolicy !== undefined && { push_policy: p.pushPolicy === null ? null : JSON.stringify(p.pushPolicy) }),
  };
  await deps.db.transaction().execute(async (trx) => {
    const before = await repo.lockRule(trx, id);
    if (!before) throw ruleNotFound();
    const after = await repo.updateRule(trx, id, set, deps.now());
    if (!after) throw ruleNotFound();
    await writeAudit(trx, { actor, entity: 'rule', entityId: id, action: 'rule.update', before: auditedRule(before), after: auditedRule(after) });
  });
  return getRule(deps, id);
}

export async function deleteRule(deps: ModuleDeps, id: number, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const removed = await repo.deleteRule(trx, id);
    if (!removed) throw ruleNotFound();
    await writeAudit(trx, { actor, entity: 'rule', entityId: id, action: 'rule.delete', before: auditedRule(removed) });
  });
}

/**
 * Dry run: which of the newest `limit` items the expression would flag. It writes no data, but is
 * recorded as an action of its own (rule.test: the expression tried, how many items matched)
 * rather than left to the route backstop's generic row.
 */
export async function testRule(deps: ModuleDeps, input: RuleTestInput, actor: Actor): Promise<RuleTestResult> {
  assertExpression(input.expression);
  const compiled = compileRules([{ id: 0, expression: input.expression, scope: input.scope, negativeOnly: input.negativeOnly }]);
  const items = await latestItems(deps.db, input.limit);
  const matched: RuleTestResult['matched'] = [];
  for (const it of items) {
    const hit = matchItem(compiled, { title: it.title, text: it.text, negativity: it.negativity })[0];
    if (!hit) continue;
    matched.push({ itemId: it.id, title: it.title, url: it.url, sourceName: it.source_name, publishedAt: iso(it.published_at), words: hit.words });
  }
  // Nothing else is written: the audit insert is a transaction of its own.
  await writeAudit(deps.db, {
    actor,
    entity: 'rule',
    entityId: '',
    action: 'rule.test',
    after: { expression: input.expression, scope: input.scope, negativeOnly: input.negativeOnly, scanned: items.length, matched: matched.length },
  });
  return { matched, scanned: items.length };
}
