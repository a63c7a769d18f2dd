import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorBox, Loading } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { DAILY_SERIAL_DEFAULT, FLASH_SERIAL_DEFAULT, SPECIAL_SERIAL_DEFAULT } from '../../../../core/reports/office.js';
import { Field, GeneralError, useFieldErrors } from './form.js';
import { mOffice } from './messages.js';

// 单位信息: the organ every document is written in the name of — 版头, 期号 scheme per kind, 主送,
// 抄送, 印发机关, 落款, 公开属性 and the office 整改 reports go to. Saved as a whole (PUT, audited).

const KEY = ['admin', 'office-profile'] as const;
const profileApi = api['office-profile'];
// flash, special: the 舆情快报 and 舆情专报 of one case (each its own numbering).
const KINDS = ['weekly', 'monthly', 'quarterly', 'range', 'flash', 'special', 'daily'] as const;
const OWN_DEFAULTS = { flash: FLASH_SERIAL_DEFAULT, special: SPECIAL_SERIAL_DEFAULT, daily: DAILY_SERIAL_DEFAULT } as const;
const DISCLOSURES = ['public', 'on_request', 'not_public'] as const;

interface Draft {
  organ: string;
  mark: string;
  serialFormats: Record<(typeof KINDS)[number], string>;
  recipients: string;
  copyTo: string;
  printingOrgan: string;
  signature: string;
  disclosure: (typeof DISCLOSURES)[number];
  rectificationTo: string;
}

const TEXT_FIELDS = ['organ', 'mark', 'recipients', 'copyTo', 'printingOrgan', 'signature', 'rectificationTo'] as const;

export function OfficeProfileSection() {
  const t = useT(mOffice);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: () => call(profileApi.$get()) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const pick = (p: Omit<Draft, 'serialFormats'> & { serialFormats: Omit<Draft['serialFormats'], 'flash' | 'daily' | 'special'> & { flash?: string; daily?: string; special?: string } }): Draft => ({
    organ: p.organ,
    mark: p.mark,
    serialFormats: { ...p.serialFormats, flash: p.serialFormats.flash ?? FLASH_SERIAL_DEFAULT, special: p.serialFormats.special ?? SPECIAL_SERIAL_DEFAULT, daily: p.serialFormats.daily ?? DAILY_SERIAL_DEFAULT },
    recipients: p.recipients,
    copyTo: p.copyTo,
    printingOrgan: p.printingOrgan,
    signature: p.signature,
    disclosure: p.disclosure,
    rectificationTo: p.rectificationTo,
  });
  useEffect(() => {
    if (q.data && draft === null) setDraft(pick(q.data));
  }, [q.data, draft]);
  const save = useMutation({
    mutationFn: (json: Draft) => call(profileApi.$put({ json })),
    onSuccess: (res) => {
      qc.setQueryData(KEY, res);
      setDraft(pick(res));
      toast(t('saved'));
    },
  });
  const errs = useFieldErrors(save.error, [...TEXT_FIELDS, 'disclosure', ...KINDS.map((k) => `serialFormats.${k}`)]);
  if (q.isPending || (q.data && draft === null)) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const d = draft!;
  const dirty = JSON.stringify(d) !== JSON.stringify(pick(q.data));
  const set = (patch: Partial<Draft>) => setDraft({ ...d, ...patch });
  return (
    <form
      noValidate
      className="stack"
      data-testid="office-profile"
      onSubmit={(ev) => {
        ev.preventDefault();
        save.mutate(d);
      }}
    >
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="spacer" />
        {dirty ? <span className="tag tag-amber">{t('dirty')}</span> : null}
        <button type="submit" className="btn btn-primary" disabled={save.isPending || !dirty} data-testid="office-profile-save">
          {t('save')}
        </button>
      </div>
      <p className="muted small intro">{t('intro')}</p>
      <GeneralError text={errs.general} />
      <div className="panel form-grid">
        {TEXT_FIELDS.map((k) => (
          <Field key={k} label={t(k)} error={errs.byField[k]} hint={t(`${k}Hint`)} wide={k === 'recipients' || k === 'copyTo'}>
            <input value={d[k]} onChange={(ev) => set({ [k]: ev.target.value })} data-testid={`office-${k}`} />
          </Field>
        ))}
        <Field label={t('disclosure')} error={errs.byField.disclosure}>
          <select value={d.disclosure} onChange={(ev) => set({ disclosure: ev.target.value as Draft['disclosure'] })} data-testid="office-disclosure">
            {DISCLOSURES.map((x) => (
              <option key={x} value={x}>
                {t(`disclosure_${x}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="panel">
        <h2>{t('serials')}</h2>
        <p className="muted small">{t('serialsHint')}</p>
        <div className="form-grid">
          {KINDS.map((k) => (
            <Field key={k} label={t(`kind_${k}`)} error={errs.byField[`serialFormats.${k}`]} hint={t('serialExample', { example: (q.data.serialFormats[k] ?? OWN_DEFAULTS[k as keyof typeof OWN_DEFAULTS]).split('{年}').join('2026').split('{号}').join('1') })}>
              <input value={d.serialFormats[k]} onChange={(ev) => set({ serialFormats: { ...d.serialFormats, [k]: ev.target.value } })} data-testid={`office-serial-${k}`} />
            </Field>
          ))}
        </div>
      </div>
      {q.data.updatedBy ? <p className="muted small">{t('updated', { who: q.data.updatedBy })}</p> : null}
    </form>
  );
}
