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

// 舆情快报 and 舆情专报: one click makes the case's brief of that kind in 公文 form (numbered per kind,
// stored unchanged, downloadable) and records it as a 上报 to its recipient, meeting an open report
// obligation. The sections of each kind are edited before issue.

export function BriefsPanel({ c }: { c: CaseData }) {
  const t = useT(m);
  const user = useUser();
  const q = useQuery({ queryKey: [...caseKey(c.id), 'briefs'], queryFn: () => call(api.cases[':id'].briefs.$get({ param: { id: c.id } })) });
  const [open, setOpen] = useState<BriefKind | null>(null);
  const may = c.status !== 'closed' && ['duty', 'reviewer', 'leader', 'admin'].includes(user.role);
  let body;
  if (q.isPending) body = <Loading />;
  else if (q.isError) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (q.data.briefs.length === 0) body = <Empty title={t('briefsEmpty')} hint={may ? t('briefsEmptyHint') : undefined} />;
  else
    body = (
      <ul className="cr-records" data-testid="briefs">
        {q.data.briefs.map((b) => (
          <li key={b.id} data-testid="brief" data-kind={b.kind}>
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
          <>
            <button type="button" className="btn btn-sm btn-primary" onClick={() => setOpen('flash')} data-testid="brief-new">
              {t('briefNew')}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setOpen('special')} data-testid="brief-new-special">
              {t('specialNew')}
            </button>
          </>
        ) : null}
      </header>
      <div className="panel-body">{body}</div>
      {open ? <BriefForm c={c} kind={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

type BriefKind = 'flash' | 'special';
type Sections = Record<string, string>;
const SECTIONS = { flash: ['situation', 'assessment', 'handling'], special: ['overview', 'spread', 'views', 'assessment', 'handling', 'next'] } as const satisfies Record<BriefKind, readonly string[]>;

function BriefForm({ c, kind, onClose }: { c: CaseData; kind: BriefKind; onClose: () => void }) {
  const keys: readonly string[] = SECTIONS[kind];
  const prefix = kind === 'flash' ? 'brief' : 'special';
  const t = useT(m);
  const tc = useT(common);
  const [recipient, setRecipient] = useState('');
  // The text as it would be issued now; edited here, it is issued as edited (untouched: written afresh at issue).
  const draft = useQuery({ queryKey: [...caseKey(c.id), 'brief-draft', kind], queryFn: () => call(api.cases[':id'].briefs.draft.$get({ param: { id: c.id }, query: { kind } })), staleTime: Infinity, gcTime: 0 });
  const [text, setText] = useState<Sections | null>(null);
  useEffect(() => {
    const d = draft.data as Sections | undefined;
    if (d && text === null) setText(Object.fromEntries(keys.map((k) => [k, d[k] ?? ''])));
  }, [draft.data, text, keys]);
  const given = draft.data as Sections | undefined;
  const edited = text !== null && given !== undefined && keys.some((k) => text[k] !== given[k]);
  const issue = useCaseMutation(
    c.id,
    () => call(api.cases[':id'].briefs.$post({ param: { id: c.id }, json: { kind, recipient: recipient.trim(), ...(edited && text ? { text: text as never } : {}) } })),
    (b) => {
      toast(t('briefDone', { serial: b.serial }));
      onClose();
    },
  );
  return (
    <Modal
      title={t(kind === 'flash' ? 'briefNew' : 'specialNew')}
      wide
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={recipient.trim() === '' || text === null || keys.some((k) => (text[k] ?? '').trim() === '') || issue.isPending} onClick={() => issue.mutate(undefined)} data-testid="brief-issue">
            {t('briefIssue')}
          </button>
        </>
      }
    >
      <p className="muted small">{t(kind === 'flash' ? 'briefHint' : 'specialHint')}</p>
      <label className="field">
        <span>{t('briefTo')}</span>
        <input value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder={t('recipientPh')} maxLength={200} data-testid="brief-recipient" />
      </label>
      {draft.isPending ? <Loading /> : null}
      {draft.isError ? <ErrorBox error={draft.error} onRetry={() => void draft.refetch()} /> : null}
      {draft.data && text ? (
        <>
          <p className="cr-brief-title">{draft.data.title}</p>
          {keys.map((k) => (
            <label className="field" key={k}>
              <span>{t(`${prefix}_${k}` as 'brief_situation')}</span>
              <textarea value={text[k]} onChange={(e) => setText({ ...text, [k]: e.target.value })} rows={k === 'assessment' ? 3 : 5} maxLength={5000} data-testid={`brief-${k}`} />
            </label>
          ))}
        </>
      ) : null}
      <FormError error={issue.error} />
    </Modal>
  );
}
