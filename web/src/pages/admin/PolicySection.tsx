import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { CATEGORIES, LEVELS, type Category, type Level } from '../../../../core/vocabulary.js';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, type Ok } from '../../lib/api.js';
import { fieldErrors, GeneralError } from './form.js';
import { mPolicy } from './messages.js';
import { RuleCard, type PolicyRule } from './PolicyRuleCard.js';
import { OriginWindowsPanel } from './OriginWindows.js';

// 回应时限策略: the policy is edited as a whole (PUT replaces it). Levels are tabs; each shows the
// level's default rule and its category exceptions. Windows are entered in minutes, hours or
// working days; the API stores hours (working days as 24 h per working day).


const POLICY_KEY = ['admin', 'policies'] as const;

export function PolicySection() {
  const t = useT(mPolicy);
  const { lang } = useLang();
  const label = useLabel();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: POLICY_KEY, queryFn: () => call(api.policies.$get()) });
  const [draft, setDraft] = useState<PolicyRule[] | null>(null);
  const [version, setVersion] = useState(0);
  const [level, setLevel] = useState<Level>('general');
  useEffect(() => {
    if (q.data && draft === null) setDraft(structuredClone(q.data.rules));
  }, [q.data, draft]);
  const save = useMutation({
    mutationFn: (rules: PolicyRule[]) => call(api.policies.$put({ json: { rules } })),
    onSuccess: (res) => {
      qc.setQueryData(POLICY_KEY, res);
      setDraft(structuredClone(res.rules));
      setVersion((v) => v + 1);
      toast(t('saved'));
    },
  });
  if (q.isPending || (q.data && draft === null)) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const rules = draft ?? [];
  const dirty = JSON.stringify(rules) !== JSON.stringify(q.data.rules);
  const errs = fieldErrors(save.error, lang).byField;
  const placed = Object.keys(errs).filter((k) => /^rules\.\d+\./.test(k)).length;
  const general = !save.error ? null : placed > 0 ? t('fixFields', { n: placed }) : fieldErrors(save.error, lang, []).general;
  const update = (i: number, fn: (r: PolicyRule) => PolicyRule) => setDraft(rules.map((r, k) => (k === i ? fn(structuredClone(r)) : r)));
  const indexed = rules.map((r, i) => ({ r, i })).filter(({ r }) => r.level === level);
  indexed.sort((a, b) => (a.r.category === null ? -1 : b.r.category === null ? 1 : CATEGORIES.indexOf(a.r.category) - CATEGORIES.indexOf(b.r.category)));
  const usedCategories = new Set(indexed.map(({ r }) => r.category));
  const levelHasError = (l: Level) => rules.some((r, i) => r.level === l && Object.keys(errs).some((p) => p.startsWith(`rules.${i}.`)));
  const addOverride = (c: Category) => {
    const base = rules.find((r) => r.level === level && r.category === null);
    const fresh: PolicyRule = base ? { ...structuredClone(base), category: c } : { level, category: c, obligations: [{ kind: 'response', window: { hours: 48, unit: 'natural' } }], escalationSteps: [], followUpHours: 72 };
    setDraft([...rules, fresh]);
  };
  return (
    <>
    <form noValidate
      className="stack"
      data-testid="policy-editor"
      onSubmit={(ev) => {
        ev.preventDefault();
        save.mutate(rules);
      }}
    >
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="spacer" />
        {dirty ? <span className="tag tag-amber">{t('dirty')}</span> : null}
        <button type="button" className="btn" disabled={!dirty || save.isPending} onClick={() => {
          setDraft(structuredClone(q.data.rules));
          setVersion((v) => v + 1);
          save.reset();
        }}>
          {t('discard')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="policy-save">
          {t('save')}
        </button>
      </div>
      <p className="muted small intro">{t('intro')}</p>
      <GeneralError text={general} />
      <div className="tabs" role="tablist">
        {LEVELS.map((l) => (
          <button key={l} type="button" role="tab" aria-selected={l === level} className={l === level ? 'tab active' : 'tab'} onClick={() => setLevel(l)} data-testid={`policy-tab-${l}`}>
            {label('level', l)}
            {levelHasError(l) ? <span className="tab-err">!</span> : null}
          </button>
        ))}
      </div>
      {indexed.length === 0 ? <Empty title={t('empty')} hint={t('emptyHint')} /> : null}
      {indexed.map(({ r, i }) => (
        <RuleCard key={`${version}-${i}`} rule={r} index={i} errs={errs} onChange={(fn) => update(i, fn)} onRemove={r.category === null ? undefined : () => setDraft(rules.filter((_, k) => k !== i))} />
      ))}
      <div className="row">
        <select
          value=""
          aria-label={t('addOverride')}
          onChange={(ev) => {
            if (ev.target.value) addOverride(ev.target.value as Category);
          }}
        >
          <option value="">+ {t('addOverride')}</option>
          {CATEGORIES.filter((c) => !usedCategories.has(c)).map((c) => (
            <option key={c} value={c}>
              {label('category', c)}
            </option>
          ))}
        </select>
      </div>
    </form>
    {/* 热线、信箱来信按诉求类型的工作日时限（core/workflow/origin-windows.ts） */}
    <OriginWindowsPanel />
    </>
  );
}

