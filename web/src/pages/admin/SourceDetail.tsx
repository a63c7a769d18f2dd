import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { inLanguage } from '../../lib/bilingual.js';
import { useState } from 'react';
import { Modal } from '../../components/Modal.js';
import { Empty, ListState } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';
import { fmtDateTime, fmtDuration } from '../../lib/time.js';
import { Confirm } from './Confirm.js';
import { Field, GeneralError, useFieldErrors } from './form.js';
import { mAdmin, mSources } from './messages.js';
import { SOURCES_KEY, statusTone, type Source } from './SourcesSection.js';
import { QueryHealth } from './SearchFields.js';

const isHttp = (u: string | null | undefined): u is string => !!u && /^https?:\/\//i.test(u);

export function ExtLink({ href, children }: { href: string | null; children: React.ReactNode }) {
  if (!isHttp(href)) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

export function SourceDetail({ source: s, onClose }: { source: Source; onClose: () => void }) {
  const t = useT(mSources);
  const ta = useT(mAdmin);
  const label = useLabel();
  const { lang } = useLang();
  const q = useQuery({
    queryKey: ['admin', 'sources', s.id, 'fetches'],
    queryFn: async () => (await call(api.sources[':id'].fetches.$get({ param: { id: String(s.id) }, query: { limit: '30' } }))).fetches,
  });
  return (
    <Modal title={`${t('detailTitle')} · ${s.name}`} onClose={onClose} wide>
      <dl className="facts" data-testid="source-detail">
        <dt>{t('url')}</dt>
        <dd className="break">
          <ExtLink href={s.url}>{s.url}</ExtLink>
        </dd>
        <dt>{t('colHealth')}</dt>
        <dd>
          <Tag tone={statusTone(s.status)}>{label('fetchStatus', s.status)}</Tag> {s.statusMessage ? <span className="muted small">{inLanguage(s.statusMessage, lang)}</span> : null}
        </dd>
        <dt>{t('lastSuccess')}</dt>
        <dd>{s.lastSuccessAt ? fmtDateTime(s.lastSuccessAt) : ta('never')}</dd>
        <dt>{t('lastNew')}</dt>
        <dd>{s.lastNewItemAt ? fmtDateTime(s.lastNewItemAt) : ta('never')}</dd>
        <dt>{t('typicalGap')}</dt>
        <dd>{s.typicalGapS ? fmtDuration(s.typicalGapS * 1000, lang) : '—'}</dd>
        <dt>{t('failures')}</dt>
        <dd>{s.consecutiveFailures}</dd>
        <dt>{t('colNext')}</dt>
        <dd>{fmtDateTime(s.nextFetchAt)}</dd>
      </dl>
      <QueryHealth queries={s.queries} />
      <h3>{t('history')}</h3>
      <ListState
        query={q}
        empty={<Empty title={t('history')} hint={t('historyEmpty')} />}
      >
        {(data) => (
        <div className="table-wrap history-wrap">
          <table className="table" data-testid="fetch-history">
            <thead>
              <tr>
                <th>{t('colStarted')}</th>
                <th>{t('colStatus')}</th>
                <th>{t('colDuration')}</th>
                <th>{t('colSeen')}</th>
                <th>{t('colMessage')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((f) => (
                <tr key={f.id}>
                  <td className="nowrap">{fmtDateTime(f.startedAt)}</td>
                  <td className="nowrap">
                    <Tag tone={statusTone(f.status)}>{label('fetchStatus', f.status)}</Tag>
                    {f.httpStatus ? <span className="muted small"> {f.httpStatus}</span> : null}
                  </td>
                  <td className="num nowrap">{f.durationMs} ms</td>
                  <td className="num nowrap">
                    {f.itemsSeen} / {f.itemsNew}
                  </td>
                  <td className="small break">{inLanguage(f.message, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        )}
      </ListState>
    </Modal>
  );
}

export function AllowlistPanel() {
  const t = useT(mSources);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const qc = useQueryClient();
  const key = ['admin', 'allowlist'];
  const q = useQuery({ queryKey: key, queryFn: async () => (await call(api.allowlist.$get())).entries });
  const [hostPort, setHostPort] = useState('');
  const [note, setNote] = useState('');
  const add = useMutation({
    mutationFn: () => call(api.allowlist.$post({ json: { hostPort, note } })),
    onSuccess: async () => {
      setHostPort('');
      setNote('');
      toast(tc('saved'));
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  const errs = useFieldErrors(add.error, ['hostPort', 'note']);
  const [deleting, setDeleting] = useState<{ id: number; hostPort: string } | null>(null);
  return (
    <div className="panel" data-testid="allowlist">
      <div className="panel-head">
        <h2>{t('allowlist')}</h2>
        <span className="muted small">{t('allowIntro')}</span>
      </div>
      <div className="panel-body">
        <form noValidate
          className="inline-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            add.mutate();
          }}
        >
          <Field label={t('hostPort')} error={errs.byField.hostPort}>
            <input className="code" value={hostPort} onChange={(ev) => setHostPort(ev.target.value)} placeholder={t('hostPortPh')} required />
          </Field>
          <Field label={ta('note')} error={errs.byField.note}>
            <input value={note} onChange={(ev) => setNote(ev.target.value)} maxLength={500} />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={add.isPending}>
            {t('addAllow')}
          </button>
        </form>
        <GeneralError text={errs.general} />
        <ListState
          query={q}
          empty={<Empty title={t('allowEmpty')} hint={t('allowEmptyHint')} />}
        >
          {(data) => (
          <table className="table">
            <thead>
              <tr>
                <th>{t('hostPort')}</th>
                <th>{ta('note')}</th>
                <th>{t('createdAt')}</th>
                <th>{tc('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((a) => (
                <tr key={a.id}>
                  <td className="code">{a.hostPort}</td>
                  <td>{a.note || <span className="muted">—</span>}</td>
                  <td className="nowrap">{fmtDateTime(a.createdAt)}</td>
                  <td>
                    <button type="button" className="btn btn-sm btn-danger" onClick={() => setDeleting(a)}>
                      {tc('delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
        </ListState>
      </div>
      {deleting ? (
        <Confirm
          title={tc('delete')}
          text={ta('confirmDelete', { name: deleting.hostPort })}
          onConfirm={async () => {
            await call(api.allowlist[':id'].$delete({ param: { id: String(deleting.id) } }));
            await qc.invalidateQueries({ queryKey: key });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}
