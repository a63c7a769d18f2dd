import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { api, call, type Ok } from '../../lib/api.js';
import { Field, GeneralError, useFieldErrors } from './form.js';
import { mRsshub } from './messages.js';

// The office's RSSHub instance: its base URL, allow-listed in the same form when it is private.

export type RsshubTemplates = Ok<Awaited<ReturnType<typeof api.rsshub.templates.$get>>>;

export const RSSHUB_KEY = ['admin', 'rsshub'] as const;

export function useRsshubTemplates() {
  return useQuery({ queryKey: RSSHUB_KEY, queryFn: async () => call(api.rsshub.templates.$get()) });
}

export function RsshubPanel() {
  const t = useT(mRsshub);
  const tc = useT(common);
  const qc = useQueryClient();
  const q = useRsshubTemplates();
  const [baseUrl, setBaseUrl] = useState('');
  const [allowPrivate, setAllowPrivate] = useState(false);
  useEffect(() => {
    if (q.data) setBaseUrl(q.data.baseUrl ?? '');
  }, [q.data]);
  const save = useMutation({
    mutationFn: () => call(api.rsshub.settings.$put({ json: { baseUrl: baseUrl.trim() === '' ? null : baseUrl.trim(), allowPrivate } })),
    onSuccess: async () => {
      toast(tc('saved'));
      setAllowPrivate(false);
      await qc.invalidateQueries({ queryKey: RSSHUB_KEY });
      await qc.invalidateQueries({ queryKey: ['admin', 'allowlist'] });
    },
  });
  const errs = useFieldErrors(save.error, ['baseUrl', 'allowPrivate']);
  const d = q.data;
  const state = !d?.baseUrl ? (
    <Tag tone="grey">{t('notSet')}</Tag>
  ) : d.basePrivate ? (
    <Tag tone={d.baseAllowed ? 'green' : 'red'}>{d.baseAllowed ? t('privateAllowed') : t('privateRefused')}</Tag>
  ) : (
    <Tag tone="green">{t('publicBase')}</Tag>
  );
  return (
    <div className="panel" data-testid="rsshub-panel">
      <div className="panel-head">
        <h2>{t('heading')}</h2>
        <span className="muted small">{t('intro')}</span>
      </div>
      <div className="panel-body">
        <form
          noValidate
          className="inline-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            save.mutate();
          }}
        >
          <Field label={t('baseUrl')} error={errs.byField.baseUrl} testid="rsshub-base-field">
            <input className="code" value={baseUrl} onChange={(ev) => setBaseUrl(ev.target.value)} placeholder={t('baseUrlPh')} data-testid="rsshub-base" />
          </Field>
          <label className="check">
            <input type="checkbox" checked={allowPrivate} onChange={(ev) => setAllowPrivate(ev.target.checked)} data-testid="rsshub-allow" />
            {t('allowPrivate')}
          </label>
          <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="rsshub-save">
            {t('save')}
          </button>
        </form>
        <GeneralError text={errs.general} />
        <p className="small">{state}</p>
      </div>
    </div>
  );
}
