import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorBox, Loading } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { useT } from '../../i18n/index.js';
import { api, call, type Ok } from '../../lib/api.js';
import { mArea } from './area-messages.js';
import { Field, GeneralError, useFieldErrors } from './form.js';

// 管理 → 辖区: the county the office serves (省 → 市 → 区县 from the administrative divisions) and
// the names the office adds by hand (new places of a town, aliases). Saving builds the gazetteer
// the crawl finds 地域 with (PUT /api/area, audited).

const KEY = ['admin', 'area'] as const;
const BACKFILL_KEY = ['admin', 'area-backfill'] as const;
type Area = Ok<Awaited<ReturnType<typeof api.area.$get>>>;
type Kind = 'town' | 'village' | 'alias';
interface ExtraDraft {
  name: string;
  kind: Kind;
  townCode: string;
  aliasOf: string;
}
interface Draft {
  province: string;
  city: string;
  countyCode: string;
  areaName: string;
  extras: ExtraDraft[];
}

const fromArea = (a: Area): Draft => ({
  province: a.countyCode?.slice(0, 2) ?? '',
  city: a.countyCode?.slice(0, 4) ?? '',
  countyCode: a.countyCode ?? '',
  areaName: a.county && a.areaName === a.county.name ? '' : a.areaName,
  extras: a.extras.map((e) => ({
    name: e.name,
    kind: e.aliasOf !== null ? 'alias' : e.townCode !== null ? 'village' : 'town',
    townCode: e.townCode ?? (e.aliasOf ? (a.places.find((p) => p.code === e.aliasOf)?.parentCode ?? e.aliasOf) : ''),
    aliasOf: e.aliasOf ?? '',
  })),
});

const toInput = (d: Draft) => ({
  countyCode: d.countyCode || null,
  areaName: d.areaName,
  extras: d.extras.map((e) => ({ name: e.name, townCode: e.kind === 'village' ? e.townCode || null : null, aliasOf: e.kind === 'alias' ? e.aliasOf || null : null })),
});

function useDivisions(parent: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['admin', 'divisions', parent ?? ''],
    queryFn: async () => (await call(api.area.divisions.$get({ query: parent ? { parent } : {} }))).divisions,
    enabled,
    staleTime: Infinity,
  });
}

export function AreaSection() {
  const t = useT(mArea);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: () => call(api.area.$get()) });
  // While the back-fill runs, only its progress line (one row: GET /api/area/backfill) is re-read
  // every few seconds; polling stops once it reads done.
  const backfill = useQuery({
    queryKey: BACKFILL_KEY,
    queryFn: () => call(api.area.backfill.$get()),
    enabled: !!q.data?.backfill.running,
    refetchInterval: (query) => ((query.state.data ?? q.data?.backfill)?.running ? 5000 : false),
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (q.data && draft === null) setDraft(fromArea(q.data));
  }, [q.data, draft]);
  const provinces = useDivisions(undefined);
  const cities = useDivisions(draft?.province, !!draft?.province);
  const counties = useDivisions(draft?.city, !!draft?.city);
  const save = useMutation({
    mutationFn: (d: Draft) => call(api.area.$put({ json: toInput(d) })),
    onSuccess: (res) => {
      qc.setQueryData(KEY, res);
      qc.setQueryData(BACKFILL_KEY, res.backfill);
      void qc.invalidateQueries({ queryKey: ['area-towns'] });
      setDraft(fromArea(res));
      toast(t('saved'));
    },
  });
  const errs = useFieldErrors(save.error, ['countyCode', 'areaName', 'extras']);
  if (q.isPending || (q.data && draft === null)) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const d = draft!;
  // The newer of the two reads (the area's own, or the progress poll's).
  const progress = backfill.data && backfill.dataUpdatedAt >= q.dataUpdatedAt ? backfill.data : q.data.backfill;
  const set = (patch: Partial<Draft>) => setDraft({ ...d, ...patch });
  const setExtra = (i: number, patch: Partial<ExtraDraft>) => set({ extras: d.extras.map((e, j) => (j === i ? { ...e, ...patch } : e)) });
  const dirty = JSON.stringify(toInput(d)) !== JSON.stringify(toInput(fromArea(q.data)));
  const towns = q.data.places.filter((p) => p.kind === 'town');
  const placesOf = (town: string) => q.data.places.filter((p) => p.code === town || p.parentCode === town);
  const select = (value: string, options: { code: string; name: string }[] | undefined, onChange: (v: string) => void, testid: string, empty = t('choose')) => (
    <select value={value} onChange={(ev) => onChange(ev.target.value)} data-testid={testid}>
      <option value="">{empty}</option>
      {(options ?? []).map((o) => (
        <option key={o.code} value={o.code}>
          {o.name}
        </option>
      ))}
    </select>
  );
  return (
    <form
      noValidate
      className="stack"
      data-testid="area-settings"
      onSubmit={(ev) => {
        ev.preventDefault();
        save.mutate(d);
      }}
    >
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="spacer" />
        {dirty ? <span className="tag tag-amber">{t('dirty')}</span> : null}
        <button type="submit" className="btn btn-primary" disabled={save.isPending || !dirty} data-testid="area-save">
          {save.isPending ? t('saving') : t('save')}
        </button>
      </div>
      <p className="muted small intro">{t('intro')}</p>
      <GeneralError text={errs.general} />
      <div className="panel form-grid">
        <Field label={t('province')}>{select(d.province, provinces.data, (v) => set({ province: v, city: '', countyCode: '' }), 'area-province', t('noCounty'))}</Field>
        <Field label={t('city')}>{select(d.city, d.province ? cities.data : [], (v) => set({ city: v, countyCode: '' }), 'area-city')}</Field>
        <Field label={t('county')} error={errs.byField.countyCode}>
          {select(d.countyCode, d.city ? counties.data : [], (v) => set({ countyCode: v }), 'area-county')}
        </Field>
        <Field label={t('areaName')} error={errs.byField.areaName} hint={t('areaNameHint')}>
          <input value={d.areaName} maxLength={40} onChange={(ev) => set({ areaName: ev.target.value })} data-testid="area-name" />
        </Field>
      </div>
      <p className="muted small" data-testid="area-summary">
        {q.data.areaName ? `${q.data.areaName} · ` : ''}
        {t('summary', { towns: String(q.data.towns), villages: String(q.data.villages) })}
      </p>
      {progress.total > 0 ? (
        <p className="muted small" data-testid="area-backfill" role="status">
          <span className={progress.running ? 'tag tag-amber' : undefined}>
            {t(progress.running ? 'backfillRunning' : 'backfillDone', { done: String(progress.done), total: String(progress.total) })}
          </span>
        </p>
      ) : null}
      <div className="panel">
        <h2>{t('extras')}</h2>
        <p className="muted small">{t('extrasHint')}</p>
        {errs.byField.extras ? (
          <p className="field-error" role="alert">
            {errs.byField.extras}
          </p>
        ) : null}
        {d.extras.length === 0 ? <p className="muted small">{t('none')}</p> : null}
        <div className="stack" data-testid="area-extras">
          {d.extras.map((e, i) => (
            <div key={i} className="form-grid area-extra">
              <Field label={t('extraName')}>
                <input value={e.name} maxLength={20} onChange={(ev) => setExtra(i, { name: ev.target.value })} data-testid={`area-extra-name-${i}`} />
              </Field>
              <Field label={t('extraKind')}>
                <select value={e.kind} onChange={(ev) => setExtra(i, { kind: ev.target.value as Kind })} data-testid={`area-extra-kind-${i}`}>
                  {(['town', 'village', 'alias'] as const).map((k) => (
                    <option key={k} value={k}>
                      {t(`kind_${k}`)}
                    </option>
                  ))}
                </select>
              </Field>
              {e.kind !== 'town' ? <Field label={t('town')}>{select(e.townCode, towns, (v) => setExtra(i, { townCode: v, aliasOf: '' }), `area-extra-town-${i}`)}</Field> : null}
              {e.kind === 'alias' ? <Field label={t('target')}>{select(e.aliasOf, e.townCode ? placesOf(e.townCode) : [], (v) => setExtra(i, { aliasOf: v }), `area-extra-target-${i}`)}</Field> : null}
              <div className="area-extra-remove">
                <button type="button" className="btn btn-small" onClick={() => set({ extras: d.extras.filter((_, j) => j !== i) })}>
                  {t('remove')}
                </button>
              </div>
            </div>
          ))}
        </div>
        <button type="button" className="btn" onClick={() => set({ extras: [...d.extras, { name: '', kind: 'village', townCode: '', aliasOf: '' }] })} data-testid="area-extra-add">
          {t('add')}
        </button>
      </div>
      {q.data.updatedBy ? <p className="muted small">{t('updated', { who: q.data.updatedBy })}</p> : null}
    </form>
  );
}
