import { useEffect, useState } from 'react';
import { ESCALATION_TARGETS, OBLIGATION_KINDS } from '../../../../core/vocabulary.js';
import { LevelTag } from '../../components/Tag.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import type { api, Ok } from '../../lib/api.js';
import { mPolicy } from './messages.js';
import { ApprovalSettings } from './PolicyApproval.js';

export type Policy = Ok<Awaited<ReturnType<typeof api.policies.$get>>>;
export type PolicyRule = Policy['rules'][number];
export type Obligation = PolicyRule['obligations'][number];
export type Step = PolicyRule['escalationSteps'][number];
export type Win = Obligation['window'];
export type Unit = 'minutes' | 'hours' | 'working_days';

function unitOf(w: Win): Unit {
  if (w.unit === 'working_days') return 'working_days';
  return w.hours < 1 ? 'minutes' : 'hours';
}
const round = (n: number) => Math.round(n * 1e6) / 1e6;
function fromHours(w: Win, unit: Unit): number {
  if (unit === 'working_days') return round(w.hours / 24);
  if (unit === 'minutes') return round(w.hours * 60);
  return round(w.hours);
}
function toWindow(value: number, unit: Unit): Win {
  if (unit === 'working_days') return { hours: value * 24, unit: 'working_days' };
  if (unit === 'minutes') return { hours: value / 60, unit: 'natural' };
  return { hours: value, unit: 'natural' };
}

/** Number input that keeps what the user typed; empty or unreadable becomes NaN (sent as null: the server says why). */
function NumInput({ value, onChange, ...rest }: { value: number; onChange: (n: number) => void } & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const [text, setText] = useState(Number.isFinite(value) ? String(value) : '');
  useEffect(() => {
    if (Number(text) !== value && !(text === '' && Number.isNaN(value))) setText(Number.isFinite(value) ? String(value) : '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <input
      type="number"
      {...rest}
      value={text}
      onChange={(ev) => {
        setText(ev.target.value);
        onChange(ev.target.value.trim() === '' ? Number.NaN : Number(ev.target.value));
      }}
    />
  );
}

function WindowInput({ w, onChange, testid, ariaLabel, invalid }: { w: Win; onChange: (w: Win) => void; testid: string; ariaLabel: string; invalid: boolean }) {
  const t = useT(mPolicy);
  const [unit, setUnit] = useState<Unit>(() => unitOf(w));
  const value = fromHours(w, unit);
  return (
    <span className="win-input">
      <NumInput value={value} min={0} step="any" onChange={(n) => onChange(toWindow(n, unit))} data-testid={testid} aria-label={ariaLabel} aria-invalid={invalid || undefined} className="num-sm" />
      <select
        value={unit}
        aria-label={`${ariaLabel} (${t('window')})`}
        data-testid={`${testid}-unit`}
        onChange={(ev) => {
          const next = ev.target.value as Unit;
          setUnit(next);
          onChange(toWindow(value, next));
        }}
      >
        <option value="minutes">{t('unit_minutes')}</option>
        <option value="hours">{t('unit_hours')}</option>
        <option value="working_days">{t('unit_working_days')}</option>
      </select>
    </span>
  );
}

export function FieldMsg({ errs, path }: { errs: Record<string, string>; path: string }) {
  const hit = Object.entries(errs).filter(([p]) => p === path || p.startsWith(`${path}.`));
  if (hit.length === 0) return null;
  return (
    <em className="field-error" role="alert">
      {hit.map(([, m]) => m).join('；')}
    </em>
  );
}

export function RuleCard({ rule, index, errs, onChange, onRemove }: { rule: PolicyRule; index: number; errs: Record<string, string>; onChange: (fn: (r: PolicyRule) => PolicyRule) => void; onRemove?: () => void }) {
  const t = useT(mPolicy);
  const label = useLabel();
  const p = `rules.${index}`;
  const ruleName = rule.category === null ? t('defaultRule') : t('override', { c: label('category', rule.category) });
  const testBase = `policy-window-${rule.level}${rule.category ? `-${rule.category}` : ''}`;
  const kindsUsed = rule.obligations.map((o) => o.kind);
  const setObl = (k: number, fn: (o: Obligation) => Obligation) => onChange((r) => ({ ...r, obligations: r.obligations.map((o, j) => (j === k ? fn(o) : o)) }));
  const setStep = (k: number, fn: (s: Step) => Step) => onChange((r) => ({ ...r, escalationSteps: r.escalationSteps.map((s, j) => (j === k ? fn(s) : s)) }));
  /** A step as the office names it: the default steps by name, any other by its place in the ladder. */
  const stepName = (id: string, k: number) => {
    const key = `step:${id}`;
    return key in mPolicy.zh ? t(key as keyof (typeof mPolicy)['zh']) : t('stepCustom', { n: k + 1 });
  };
  return (
    <div className="panel policy-rule" data-testid={`policy-rule-${rule.level}${rule.category ? `-${rule.category}` : ''}`}>
      <div className="panel-head">
        <LevelTag level={rule.level} />
        <h2>{ruleName}</h2>
        <span className="spacer" />
        <label className="field-inline small">
          {t('followUp')}
          <NumInput value={rule.followUpHours} min={1} step={1} className="num-sm" onChange={(n) => onChange((r) => ({ ...r, followUpHours: n }))} aria-invalid={errs[`${p}.followUpHours`] ? true : undefined} />
        </label>
        {onRemove ? (
          <button type="button" className="btn btn-sm btn-danger" onClick={onRemove}>
            {t('removeOverride')}
          </button>
        ) : null}
      </div>
      <div className="panel-body">
        <FieldMsg errs={errs} path={`${p}.followUpHours`} />
        <ApprovalSettings rule={rule} index={index} errs={errs} onChange={onChange} />
        <h3>{t('obligations')}</h3>
        <FieldMsg errs={Object.fromEntries(Object.entries(errs).filter(([k]) => k === `${p}.obligations`))} path={`${p}.obligations`} />
        <table className="table policy-table">
          <thead>
            <tr>
              <th>{t('kind')}</th>
              <th>{t('window')}</th>
              <th>{t('repeat')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rule.obligations.map((o, k) => {
              const op = `${p}.obligations.${k}`;
              return (
                <tr key={k}>
                  <td>
                    <select value={o.kind} onChange={(ev) => setObl(k, (x) => ({ ...x, kind: ev.target.value as Obligation['kind'] }))}>
                      {OBLIGATION_KINDS.map((kind) => (
                        <option key={kind} value={kind}>
                          {label('obligationKind', kind)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <WindowInput
                      w={o.window}
                      testid={`${testBase}-${o.kind}`}
                      ariaLabel={t('windowLabel', { level: label('level', rule.level), rule: ruleName, kind: label('obligationKind', o.kind) })}
                      invalid={!!errs[`${op}.window.hours`]}
                      onChange={(w) => setObl(k, (x) => ({ ...x, window: w }))}
                    />
                    <FieldMsg errs={errs} path={`${op}.window`} />
                  </td>
                  <td>
                    <NumInput
                      value={o.repeatEveryHours ?? Number.NaN}
                      min={0}
                      step="any"
                      className="num-sm"
                      placeholder={t('repeatNone')}
                      onChange={(n) => setObl(k, (x) => {
                        const { repeatEveryHours: _drop, ...rest } = x;
                        return Number.isNaN(n) ? rest : { ...rest, repeatEveryHours: n };
                      })}
                    />
                    <FieldMsg errs={errs} path={`${op}.repeatEveryHours`} />
                  </td>
                  <td>
                    <button type="button" className="btn btn-sm" onClick={() => onChange((r) => ({ ...r, obligations: r.obligations.filter((_, j) => j !== k) }))}>
                      {t('remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button
          type="button"
          className="btn btn-sm add-row"
          onClick={() =>
            onChange((r) => ({ ...r, obligations: [...r.obligations, { kind: OBLIGATION_KINDS.find((k) => !kindsUsed.includes(k)) ?? 'response', window: { hours: 24, unit: 'natural' } }] }))
          }
        >
          + {t('addObligation')}
        </button>

        <h3>{t('steps')}</h3>
        <FieldMsg errs={Object.fromEntries(Object.entries(errs).filter(([k]) => k === `${p}.escalationSteps`))} path={`${p}.escalationSteps`} />
        <table className="table policy-table">
          <thead>
            <tr>
              <th>{t('stepId')}</th>
              <th>{t('trigger')}</th>
              <th>{t('target')}</th>
              <th>{t('stepKinds')}</th>
              <th />
              <th />
            </tr>
          </thead>
          <tbody>
            {rule.escalationSteps.map((s, k) => {
              const sp = `${p}.escalationSteps.${k}`;
              const tv = s.trigger.type === 'fraction' ? round(s.trigger.fraction * 100) : s.trigger.hours;
              return (
                <tr key={k}>
                  <td>
                    {/* The id is a stable key (escalation records refer to it): shown by its name, never edited. */}
                    <span className="nowrap">{stepName(s.id, k)}</span>
                    <FieldMsg errs={errs} path={`${sp}.id`} />
                  </td>
                  <td className="nowrap">
                    <select
                      value={s.trigger.type}
                      onChange={(ev) => {
                        const type = ev.target.value as Step['trigger']['type'];
                        setStep(k, (x) => ({ ...x, trigger: type === 'fraction' ? { type, fraction: 0.5 } : { type, hours: type === 'before_due' ? 12 : 0 } }));
                      }}
                    >
                      <option value="fraction">{t('trig_fraction')}</option>
                      <option value="before_due">{t('trig_before_due')}</option>
                      <option value="after_due">{t('trig_after_due')}</option>
                    </select>{' '}
                    <NumInput
                      value={tv}
                      min={0}
                      step="any"
                      className="num-sm"
                      onChange={(n) => setStep(k, (x) => ({ ...x, trigger: x.trigger.type === 'fraction' ? { type: 'fraction', fraction: n / 100 } : { type: x.trigger.type, hours: n } }))}
                    />
                    <FieldMsg errs={errs} path={`${sp}.trigger`} />
                  </td>
                  <td>
                    <select value={s.target} onChange={(ev) => setStep(k, (x) => ({ ...x, target: ev.target.value as Step['target'] }))}>
                      {ESCALATION_TARGETS.map((x) => (
                        <option key={x} value={x}>
                          {label('escalationTarget', x)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <div className="chips">
                      {kindsUsed.map((kind) => {
                        const on = s.kinds?.includes(kind) ?? false;
                        return (
                          <label key={kind} className={on ? 'chip on' : 'chip'}>
                            <input
                              type="checkbox"
                              checked={on}
                              onChange={() =>
                                setStep(k, (x) => {
                                  const next = on ? (x.kinds ?? []).filter((y) => y !== kind) : [...(x.kinds ?? []), kind];
                                  const { kinds: _k, ...rest } = x;
                                  return next.length ? { ...rest, kinds: next } : rest;
                                })
                              }
                            />
                            {label('obligationKind', kind)}
                          </label>
                        );
                      })}
                      {!s.kinds?.length ? <span className="muted small">（{t('allKinds')}）</span> : null}
                    </div>
                  </td>
                  <td className="nowrap small">
                    <label className="check-inline" title={t('urgent')}>
                      <input type="checkbox" checked={s.urgent} onChange={(ev) => setStep(k, (x) => ({ ...x, urgent: ev.target.checked }))} />
                      {t('urgentShort')}
                    </label>
                    <label className="check-inline">
                      <input type="checkbox" checked={!!s.breach} onChange={(ev) => setStep(k, (x) => ({ ...x, breach: ev.target.checked || undefined }))} />
                      {t('breach')}
                    </label>
                    <label className="check-inline" title={t('noDraft')}>
                      <input type="checkbox" checked={!!s.onlyWithoutDraft} onChange={(ev) => setStep(k, (x) => ({ ...x, onlyWithoutDraft: ev.target.checked || undefined }))} />
                      {t('noDraftShort')}
                    </label>
                  </td>
                  <td>
                    <button type="button" className="btn btn-sm" onClick={() => onChange((r) => ({ ...r, escalationSteps: r.escalationSteps.filter((_, j) => j !== k) }))}>
                      {t('remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button
          type="button"
          className="btn btn-sm add-row"
          onClick={() =>
            onChange((r) => {
              let n = r.escalationSteps.length + 1;
              while (r.escalationSteps.some((s) => s.id === `step-${n}`)) n++;
              return { ...r, escalationSteps: [...r.escalationSteps, { id: `step-${n}`, trigger: { type: 'before_due', hours: 2 }, target: 'reviewer', urgent: false }] };
            })
          }
        >
          + {t('addStep')}
        </button>
      </div>
    </div>
  );
}
