import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, REQUEST_TYPES, type OriginWindow, type RequestType } from '../../../../core/workflow/origin-windows.js';
import { FormError } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';

// 管理 → 回应规则 → 热线、信箱办理时限: per origin a default window in working days and per 诉求类型
// overrides (an empty box: the default). The server refuses anything outside 1–60 working days.

const m = defineMessages(
  {
    heading: '热线、信箱来信办理时限',
    intro: '12345 热线和领导信箱的事件按诉求类型在若干个工作日内办理答复（节假日不计，调休上班日计入），代替一般的 48 小时回应时限；其他来源不变。修改只影响此后登记或调整诉求类型的事件。',
    enabled: '按工作日时限办理',
    defaultDays: '默认（工作日）',
    sameAsDefault: '同默认',
    save: '保存办理时限',
    saved: '办理时限已保存',
    bad: '须为 {min}–{max} 个工作日的整数',
    days: '个工作日',
  },
  {
    heading: 'Windows of hotline calls and mailbox letters',
    intro: 'Cases from the 12345 hotline and the mailbox are answered within working days by their request type (holidays excluded, make-up working days counted) instead of the 48-hour window; other origins are unchanged. A change applies to cases registered (or re-typed) afterwards.',
    enabled: 'Use working-day windows',
    defaultDays: 'Default (working days)',
    sameAsDefault: 'default',
    save: 'Save the windows',
    saved: 'Windows saved',
    bad: 'A whole number of working days, {min}–{max}',
    days: 'working days',
  },
);

const KEY = ['policies', 'origin-windows'] as const;

/** Form state: numbers as typed (text), so a half-typed value is shown as typed. */
interface Draft {
  origin: OriginWindow['origin'];
  enabled: boolean;
  defaultDays: string;
  byRequestType: Record<RequestType, string>;
}

const toDraft = (w: OriginWindow): Draft => ({
  origin: w.origin,
  enabled: w.enabled,
  defaultDays: String(w.defaultDays),
  byRequestType: Object.fromEntries(REQUEST_TYPES.map((t) => [t, w.byRequestType[t] === undefined ? '' : String(w.byRequestType[t])])) as Record<RequestType, string>,
});
const okDays = (s: string) => /^\d+$/.test(s.trim()) && Number(s) >= MIN_WINDOW_DAYS && Number(s) <= MAX_WINDOW_DAYS;

export function OriginWindowsPanel() {
  const t = useT(m);
  const label = useLabel();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: () => call(api.policies['origin-windows'].$get()) });
  const [draft, setDraft] = useState<Draft[] | null>(null);
  useEffect(() => {
    if (q.data && draft === null) setDraft(q.data.windows.map(toDraft));
  }, [q.data, draft]);
  const save = useMutation({
    mutationFn: (windows: OriginWindow[]) => call(api.policies['origin-windows'].$put({ json: { windows } })),
    onSuccess: (res) => {
      qc.setQueryData(KEY, res);
      setDraft(res.windows.map(toDraft));
      toast(t('saved'));
    },
  });
  if (!draft) return null;
  const valid = draft.every((d) => okDays(d.defaultDays) && REQUEST_TYPES.every((x) => d.byRequestType[x].trim() === '' || okDays(d.byRequestType[x])));
  const set = (i: number, fn: (d: Draft) => Draft) => setDraft(draft.map((d, k) => (k === i ? fn({ ...d, byRequestType: { ...d.byRequestType } }) : d)));
  const submit = () => {
    save.mutate(
      draft.map((d) => ({
        origin: d.origin,
        enabled: d.enabled,
        defaultDays: Number(d.defaultDays),
        byRequestType: Object.fromEntries(REQUEST_TYPES.filter((x) => d.byRequestType[x].trim() !== '').map((x) => [x, Number(d.byRequestType[x])])),
      })),
    );
  };
  return (
    <section className="panel" data-testid="origin-windows">
      <div className="panel-head">
        <h2>{t('heading')}</h2>
      </div>
      <div className="panel-body stack">
        <p className="muted small">{t('intro')}</p>
        {draft.map((d, i) => (
          <fieldset key={d.origin} className="field cr-fieldset" data-testid={`origin-window-${d.origin}`}>
            <legend>
              <strong>{label('caseOrigin', d.origin)}</strong>
            </legend>
            <label className="field-inline">
              <input type="checkbox" checked={d.enabled} onChange={(e) => set(i, (x) => ({ ...x, enabled: e.target.checked }))} /> {t('enabled')}
            </label>
            <div className="form-grid form-grid-3">
              <label className="field">
                <span>{t('defaultDays')}</span>
                <input
                  inputMode="numeric"
                  value={d.defaultDays}
                  aria-invalid={!okDays(d.defaultDays)}
                  onChange={(e) => set(i, (x) => ({ ...x, defaultDays: e.target.value }))}
                  data-testid={`origin-window-${d.origin}-default`}
                />
              </label>
              {REQUEST_TYPES.map((x) => (
                <label key={x} className="field">
                  <span>{label('requestType', x)}</span>
                  <input
                    inputMode="numeric"
                    value={d.byRequestType[x]}
                    placeholder={t('sameAsDefault')}
                    aria-invalid={d.byRequestType[x].trim() !== '' && !okDays(d.byRequestType[x])}
                    onChange={(e) => set(i, (y) => ({ ...y, byRequestType: { ...y.byRequestType, [x]: e.target.value } }))}
                    data-testid={`origin-window-${d.origin}-${x}`}
                  />
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        {!valid ? <p className="form-error">{t('bad', { min: MIN_WINDOW_DAYS, max: MAX_WINDOW_DAYS })}</p> : null}
        <FormError error={save.error} />
        <div className="row">
          <button type="button" className="btn btn-primary" disabled={save.isPending} onClick={submit} data-testid="origin-windows-save">
            {t('save')}
          </button>
        </div>
      </div>
    </section>
  );
}
