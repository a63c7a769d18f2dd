import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Modal } from '../../components/Modal.js';
import { Empty, ListState } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { fmtDateTime } from '../../lib/time.js';
import { Confirm } from './Confirm.js';
import { Field, GeneralError, useFieldErrors } from './form.js';
import { mAdmin, mTokens } from './messages.js';

// 管理 → 接口令牌: tokens for the intake API. The secret is shown once, right after creation.

const KEY = ['admin', 'api-tokens'] as const;
type Scope = 'items:submit' | 'items:read';

export function TokensSection() {
  const t = useT(mTokens);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: async () => (await call(api['api-tokens'].$get())).tokens });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['items:submit']);
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<{ id: number; name: string } | null>(null);
  const create = useMutation({
    mutationFn: () => call(api['api-tokens'].$post({ json: { name, scopes } })),
    onSuccess: async (created) => {
      setName('');
      setSecret(created.token);
      await qc.invalidateQueries({ queryKey: KEY });
    },
  });
  const errs = useFieldErrors(create.error, ['name', 'scopes']);
  const scopeLabel = (s: Scope) => (s === 'items:submit' ? t('scope_submit') : t('scope_read'));
  const toggle = (s: Scope) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  return (
    <div className="panel" data-testid="api-tokens">
      <div className="panel-head">
        <h2>{ta('tokens')}</h2>
        <span className="muted small">{t('intro')}</span>
      </div>
      <div className="panel-body">
        <form
          noValidate
          className="inline-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            create.mutate();
          }}
        >
          <Field label={t('name')} error={errs.byField.name}>
            <input value={name} onChange={(ev) => setName(ev.target.value)} placeholder={t('namePh')} maxLength={100} required />
          </Field>
          <Field label={t('scopes')} error={errs.byField.scopes}>
            <span className="tags">
              {(['items:submit', 'items:read'] as const).map((s) => (
                <label key={s} className="nowrap">
                  <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} /> {scopeLabel(s)}
                </label>
              ))}
            </span>
          </Field>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {t('create')}
          </button>
        </form>
        <GeneralError text={errs.general} />
        <ListState query={q} empty={<Empty title={t('empty')} hint={t('emptyHint')} />}>
          {(data) => (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('name')}</th>
                  <th>{t('prefix')}</th>
                  <th>{t('scopes')}</th>
                  <th>{t('createdAt')}</th>
                  <th>{t('lastUsedAt')}</th>
                  <th>{t('status')}</th>
                  <th>{tc('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.map((k) => (
                  <tr key={k.id} data-testid="api-token-row" className={k.revokedAt ? 'row-disabled' : undefined}>
                    <td translate="no">{k.name}</td>
                    <td className="code">{k.prefix}…</td>
                    <td>{k.scopes.map(scopeLabel).join('、')}</td>
                    <td className="nowrap">
                      {fmtDateTime(k.createdAt)}
                      {k.createdBy ? <div className="muted small">{k.createdBy}</div> : null}
                    </td>
                    <td className="nowrap">{k.lastUsedAt ? fmtDateTime(k.lastUsedAt) : <span className="muted">{ta('never')}</span>}</td>
                    <td>{k.revokedAt ? <Tag>{t('revoked')}</Tag> : <Tag tone="green">{t('active')}</Tag>}</td>
                    <td>
                      {k.revokedAt ? null : (
                        <button type="button" className="btn btn-sm btn-danger" onClick={() => setRevoking(k)}>
                          {t('revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </ListState>
      </div>
      {secret ? (
        <Modal
          title={t('create')}
          onClose={() => setSecret(null)}
          footer={
            <button type="button" className="btn btn-primary" onClick={() => setSecret(null)}>
              {t('close')}
            </button>
          }
        >
          <p>{t('shownOnce')}</p>
          <p className="code" data-testid="api-token-secret" style={{ wordBreak: 'break-all' }}>
            {secret}
          </p>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => {
              void navigator.clipboard?.writeText(secret).then(() => toast(t('copied')));
            }}
          >
            {t('copy')}
          </button>
        </Modal>
      ) : null}
      {revoking ? (
        <Confirm
          title={t('revoke')}
          text={t('confirmRevoke', { name: revoking.name })}
          confirmLabel={t('revoke')}
          onConfirm={async () => {
            await call(api['api-tokens'][':id'].revoke.$post({ param: { id: String(revoking.id) } }));
            await qc.invalidateQueries({ queryKey: KEY });
          }}
          onClose={() => setRevoking(null)}
        />
      ) : null}
    </div>
  );
}
