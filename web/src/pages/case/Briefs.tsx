import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Modal } from '../../components/Modal.js';
import { Empty, ErrorBox, FormError, Loading } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import { caseKey, useCaseMutation, type CaseData } from './data.js';
import { m } from './messages.js';

// 舆情快报: one click makes the case's brief in 公文 form (numbered, stored unchanged, downloadable)
// and records it as a 上报 to its recipient, meeting an open report obligation.

export function BriefsPanel({ c }: { c: CaseData }) {
  const t = useT(m);
  const user = useUser();
  const q = useQuery({ queryKey: [...caseKey(c.id), 'briefs'], queryFn: () => call(api.cases[':id'].briefs.$get({ param: { id: c.id } })) });
  const [open, setOpen] = useState(false);
  const may = c.status !== 'closed' && ['duty', 'reviewer', 'leader', 'admin'].includes(user.role);
  let body;
  if (q.isPending) body = <Loading />;
  else if (q.isError) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (q.data.briefs.length === 0) body = <Empty title={t('briefsEmpty')} hint={may ? t('briefsEmptyHint') : undefined} />;
  else
    body = (
      <ul className="cr-records" data-testid="briefs">
        {q.data.briefs.map((b) => (
          <li key={b.id} data-testid="brief">
            <div className="row">
              <strong>{b.serial}</strong>
              <span className="muted small">{t('briefIssued', { name: b.issuedBy ?? '—', at: fmtDateTime(b.issuedAt) })}</span>
              <span className="spacer" />
              <a className="btn btn-sm" href={`/api/cases/${c.id}/briefs/${b.id}/file`} download data-testid="brief-download">
                {t('briefDownload')}
              </a>
            </div>
            <p className="cr-record-text">{b.title}</p>
            <p className="muted small cr-tight">{t('briefRecipient', { to: b.recipient })}</p>
          </li>
        ))}
      </ul>
    );
  return (
    <section className="panel cr-briefs" aria-labelledby="cr-briefs-h">
      <header className="panel-head">
        <h2 id="cr-briefs-h">{t('briefs')}</h2>
        <span className="spacer" />
        {may ? (
          <button type="button" className="btn btn-sm btn-primary" onClick={() => setOpen(true)} data-testid="brief-new">
            {t('briefNew')}
          </button>
        ) : null}
      </header>
      <div className="panel-body">{body}</div>
      {open ? <BriefForm c={c} onClose={() => setOpen(false)} /> : null}
    </section>
  );
}

type Sections = { situation: string; assessment: string; handling: string };
const SECTIONS = ['situation', 'assessment', 'handling'] as const;

function BriefForm({ c, onClose }: { c: CaseData; onClose: () => void }) {
  const t = useT(m);
  const tc = useT(common);
  const [recipient, setRecipient] = useState('');
  // The text as it would be issued now; edited here, it is issued as edited (untouched: written afresh at issue).
  const draft = useQuery({ queryKey: [...caseKey(c.id), 'brief-draft'], queryFn: () => call(api.cases[':id'].briefs.draft.$get({ param: { id: c.id } })), staleTime: Infinity, gcTime: 0 });
  const [text, setText] = useState<Sections | null>(null);
  useEffect(() => {
    if (draft.data && text === null) setText({ situation: draft.data.situation, assessment: draft.data.assessment, handling: draft.data.handling });
  }, [draft.data, text]);
  const edited = text !== null && draft.data !== undefined && SECTIONS.some((k) => text[k] !== draft.data[k]);
  const issue = useCaseMutation(
    c.id,
    () => call(api.cases[':id'].briefs.$post({ param: { id: c.id }, json: { recipient: recipient.trim(), ...(edited && text ? { text } : {}) } })),
    (b) => {
      toast(t('briefDone', { serial: b.serial }));
      onClose();
    },
  );
  return (
    <Modal
      title={t('briefNew')}
      wide
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={recipient.trim() === '' || text === null || SECTIONS.some((k) => text[k].trim() === '') || issue.isPending} onClick={() => issue.mutate(undefined)} data-testid="brief-issue">
            {t('briefIssue')}
          </button>
        </>
      }
    >
      <p className="muted small">{t('briefHint')}</p>
      <label className="field">
        <span>{t('briefTo')}</span>
        <input value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder={t('recipientPh')} maxLength={200} data-testid="brief-recipient" />
      </label>
      {draft.isPending ? <Loading /> : null}
      {draft.isError ? <ErrorBox error={draft.error} onRetry={() => void draft.refetch()} /> : null}
      {draft.data && text ? (
        <>
          <p className="cr-brief-title">{draft.data.title}</p>
          {SECTIONS.map((k) => (
            <label className="field" key={k}>
              <span>{t(`brief_${k}`)}</span>
              <textarea value={text[k]} onChange={(e) => setText({ ...text, [k]: e.target.value })} rows={k === 'assessment' ? 2 : 5} maxLength={5000} data-testid={`brief-${k}`} />
            </label>
          ))}
        </>
      ) : null}
      <FormError error={issue.error} />
    </Modal>
  );
}
