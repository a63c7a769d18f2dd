import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { CATEGORIES, LEVELS } from '../../../../core/vocabulary.js';
import { Highlight } from '../../components/Highlight.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, ApiError, call, type Ok } from '../../lib/api.js';
import { fmtDateTime } from '../../lib/time.js';
import { Field, FormModal, GeneralError, useFieldErrors } from './form.js';
import { mAdmin, mRules } from './messages.js';
import { RULES_KEY, useDepartments, type Rule } from './RulesSection.js';

type DryRun = Ok<Awaited<ReturnType<typeof api.rules.test.$post>>>;
type RuleInput = Parameters<typeof api.rules.$post>[0]['json'];

const DRY_RUN_LIMIT = 500;

interface SyntaxIssue {
  position: number;
  text: string;
}

/** The rule-expression error in details {field:'expression', position, message, messageZh}, if any. */
function syntaxIssueOf(err: unknown, lang: 'zh' | 'en', expression: string): SyntaxIssue | null {
  if (!(err instanceof ApiError)) return null;
  const d = err.details as { field?: string; position?: number; message?: string; messageZh?: string } | undefined;
  if (d?.field !== 'expression' || typeof d.position !== 'number') return null;
  // The server trims the expression: positions count from its first non-blank character.
  const lead = expression.length - expression.trimStart().length;
  return { position: d.position + lead, text: (lang === 'zh' ? d.messageZh : d.message) ?? err.text(lang) };
}

/** The expression with a caret under the character where parsing failed. */
function CaretLine({ expression, position }: { expression: string; position: number }) {
  const chars = [...expression];
  const at = Math.min(position, chars.length);
  return (
    <div className="caret-line code" data-testid="rule-caret" aria-hidden="true">
      <span>{chars.slice(0, at).join('')}</span>
      <span className="caret-at">
        {chars[at] ?? '\u00a0'}
        <span className="caret">^</span>
      </span>
      <span>{chars.slice(at + 1).join('')}</span>
    </div>
  );
}

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'ok' } | { state: 'error'; issue: SyntaxIssue } | { state: 'failed'; error: unknown };

/** Live syntax check of an expression, debounced as the user types. */
function useSyntaxCheck(expression: string, scope: 'title' | 'title_text', negativeOnly: boolean): Check {
  const { lang } = useLang();
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  useEffect(() => {
    if (expression.trim() === '') {
      setCheck({ state: 'idle' });
      return;
    }
    let live = true;
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      call(api.rules.test.$post({ json: { expression, scope, negativeOnly, limit: 1 } }))
        .then(() => live && setCheck({ state: 'ok' }))
        .catch((e: unknown) => {
          if (!live) return;
          const issue = syntaxIssueOf(e, lang, expression);
          setCheck(issue ? { state: 'error', issue } : { state: 'failed', error: e });
        });
    }, 350);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [expression, scope, negativeOnly, lang]);
  return check;
}

const RULE_FIELDS = ['name', 'expression', 'scope', 'negativeOnly', 'suggestedLevel', 'suggestedCategory', 'suggestedDepartmentId', 'enabled'] as const;

export function RuleEditor({ rule, onClose }: { rule: Rule | null; onClose: () => void }) {
  const t = useT(mRules);
  const tc = useT(common);
  const ta = useT(mAdmin);
  const label = useLabel();
  const { lang } = useLang();
  const qc = useQueryClient();
  const depts = useDepartments();
  const [f, setF] = useState<RuleInput>(() => ({
    name: rule?.name ?? '',
    expression: rule?.expression ?? '',
    scope: rule?.scope ?? 'title_text',
    negativeOnly: rule?.negativeOnly ?? false,
    suggestedLevel: rule?.suggestedLevel ?? 'general',
    suggestedCategory: rule?.suggestedCategory ?? 'other',
    suggestedDepartmentId: rule?.suggestedDepartmentId ?? null,
    enabled: rule?.enabled ?? true,
  }));
  const set = <K extends keyof RuleInput>(k: K, v: RuleInput[K]) => setF((p) => ({ ...p, [k]: v }));
  const expression = f.expression ?? '';
  const check = useSyntaxCheck(expression, f.scope ?? 'title_text', f.negativeOnly ?? false);
  const save = useMutation({
    mutationFn: async () => (rule ? call(api.rules[':id'].$patch({ param: { id: String(rule.id) }, json: f })) : call(api.rules.$post({ json: f }))),
    onSuccess: async () => {
      toast(rule ? tc('saved') : ta('created'));
      await qc.invalidateQueries({ queryKey: RULES_KEY });
      onClose();
    },
  });
  const dry = useMutation({
    mutationFn: () => call(api.rules.test.$post({ json: { expression, scope: f.scope, negativeOnly: f.negativeOnly, limit: DRY_RUN_LIMIT } })),
  });
  const saveSyntax = syntaxIssueOf(save.error, lang, expression) ?? syntaxIssueOf(dry.error, lang, expression);
  const errs = useFieldErrors(saveSyntax ? null : (save.error ?? dry.error), RULE_FIELDS);
  const issue = check.state === 'error' ? check.issue : saveSyntax;
  return (
    <FormModal
      id="rule-form"
      title={rule ? t('editTitle') : t('createTitle')}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      pending={save.isPending}
      testid="rule-editor"
      saveTestid="rule-save"
      wide
      after={
      <section className="dry-run" data-testid="rule-dry-run">
        <div className="row">
          <button type="button" className="btn" disabled={dry.isPending || expression.trim() === '' || check.state === 'error'} onClick={() => dry.mutate()} data-testid="rule-dry-run-btn">
            {dry.isPending ? t('dryRunning') : t('dryRun')}
          </button>
          <span className="muted small">{t('dryRunHint', { n: DRY_RUN_LIMIT })}</span>
        </div>
        {dry.data ? <DryRunResult r={dry.data} /> : null}
      </section>
      }
    >
      <GeneralError text={errs.general} />
      <Field label={t('name')} error={errs.byField.name}>
        <input value={f.name} onChange={(ev) => set('name', ev.target.value)} maxLength={200} required />
      </Field>
      <div className={`field expr-field${issue ? ' field-invalid' : ''}`}>
        <label htmlFor="rule-expression">
          <span>{t('expression')}</span>
        </label>
        <textarea
          id="rule-expression"
          className="code expr-input"
          rows={2}
          value={expression}
          onChange={(ev) => set('expression', ev.target.value)}
          spellCheck={false}
          placeholder="(永济|蒲州)+(拆迁|补偿|强拆)-(招聘|广告)"
          data-testid="rule-expression"
          aria-invalid={issue ? true : undefined}
          aria-describedby="rule-expression-status"
        />
        <div id="rule-expression-status" className="expr-status" data-testid="rule-syntax" data-state={issue ? 'error' : check.state}>
          {issue ? (
            <>
              <CaretLine expression={expression} position={issue.position} />
              <em className="field-error" role="alert">
                {t('exprErrorAt', { n: issue.position + 1 })}
                {issue.text}
              </em>
            </>
          ) : check.state === 'checking' ? (
            <span className="muted small">{t('exprChecking')}</span>
          ) : check.state === 'ok' ? (
            <span className="ok-text small">✓ {t('exprOk')}</span>
          ) : check.state === 'failed' ? (
            <em className="field-error">{errsText(check.error, lang)}</em>
          ) : errs.byField.expression ? (
            <em className="field-error">{errs.byField.expression}</em>
          ) : null}
        </div>
      </div>
      <div className="form-grid form-grid-3">
        <Field label={t('scope')} error={errs.byField.scope}>
          <select value={f.scope} onChange={(ev) => set('scope', ev.target.value as RuleInput['scope'])}>
            <option value="title_text">{t('scopeTitleText')}</option>
            <option value="title">{t('scopeTitle')}</option>
          </select>
        </Field>
        <Field label={t('level')} error={errs.byField.suggestedLevel}>
          <select value={f.suggestedLevel} onChange={(ev) => set('suggestedLevel', ev.target.value as RuleInput['suggestedLevel'])}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {label('level', l)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('category')} error={errs.byField.suggestedCategory}>
          <select value={f.suggestedCategory} onChange={(ev) => set('suggestedCategory', ev.target.value as RuleInput['suggestedCategory'])}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {label('category', c)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('department')} error={errs.byField.suggestedDepartmentId}>
          <select value={f.suggestedDepartmentId ?? ''} onChange={(ev) => set('suggestedDepartmentId', ev.target.value ? Number(ev.target.value) : null)}>
            <option value="">{t('noDepartment')}</option>
            {(depts.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" checked={f.negativeOnly} onChange={(ev) => set('negativeOnly', ev.target.checked)} />
          {t('negativeOnly')}
        </label>
        <label className="check">
          <input type="checkbox" checked={f.enabled} onChange={(ev) => set('enabled', ev.target.checked)} />
          {t('enabledLabel')}
        </label>
      </div>
    </FormModal>
  );
}

function errsText(e: unknown, lang: 'zh' | 'en'): string {
  return e instanceof ApiError ? e.text(lang) : String(e);
}

function DryRunResult({ r }: { r: DryRun }) {
  const t = useT(mRules);
  if (r.matched.length === 0)
    return (
      <p className="muted" data-testid="dry-run-summary">
        {t('dryRunResult', { scanned: r.scanned, n: 0 })} · {t('dryRunNone')}
      </p>
    );
  return (
    <>
      <p className="small" data-testid="dry-run-summary">
        {t('dryRunResult', { scanned: r.scanned, n: r.matched.length })}
      </p>
      <div className="table-wrap dry-wrap">
        <table className="table" data-testid="dry-run-table">
          <thead>
            <tr>
              <th>{t('colTitle')}</th>
              <th>{t('colSource')}</th>
              <th>{t('colPublished')}</th>
            </tr>
          </thead>
          <tbody>
            {r.matched.map((m) => (
              <tr key={m.itemId} data-testid="dry-run-match">
                <td>
                  {/^https?:\/\//i.test(m.url) ? (
                    <a href={m.url} target="_blank" rel="noopener noreferrer">
                      <Highlight text={m.title} words={m.words} />
                    </a>
                  ) : (
                    <Highlight text={m.title} words={m.words} />
                  )}
                  <div className="tags">
                    {m.words.map((w) => (
                      <Tag key={w} tone="amber">
                        {w}
                      </Tag>
                    ))}
                  </div>
                </td>
                <td className="nowrap">{m.sourceName}</td>
                <td className="nowrap">{fmtDateTime(m.publishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
