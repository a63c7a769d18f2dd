import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, ListState } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { api, call, errorText, type Ok } from '../../lib/api.js';
import { fmtDateTime } from '../../lib/time.js';
import { Confirm } from './Confirm.js';
import { Field, FormModal, GeneralError, orNull, useFieldErrors } from './form.js';
import { mAdmin, mChannels } from './messages.js';

type Channel = Ok<Awaited<ReturnType<(typeof api)['notification-channels']['$get']>>>['items'][number];
type Format = 'json' | 'wecom' | 'dingtalk';
const KEY = ['admin', 'channels'] as const;
const chApi = api['notification-channels'];

export function ChannelsSection() {
  const t = useT(mChannels);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: async () => (await call(chApi.$get())).items });
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="channel-add">
          {t('add')}
        </button>
      </div>
      <p className="muted small intro">{t('intro')}</p>
      <ListState
        query={q}
        empty={
        <div className="panel">
          <Empty title={t('emptyTitle')} hint={t('emptyHint')} />
        </div>
        }
      >
        {(data) => (
        <div className="channel-list">
          {data.map((ch) => (
            <ChannelCard key={ch.id} ch={ch} onEdit={() => setEditing(ch)} onDelete={() => setDeleting(ch)} />
          ))}
        </div>
        )}
      </ListState>
      {editing ? <ChannelForm channel={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <Confirm
          title={tc('delete')}
          text={ta('confirmDelete', { name: deleting.name })}
          onConfirm={async () => {
            await call(chApi[':id'].$delete({ param: { id: String(deleting.id) } }));
            toast(ta('deleted'));
            await qc.invalidateQueries({ queryKey: KEY });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}

/** A delivery error as a person reads it: an HTML error page from the remote side becomes its text. */
function plainError(e: string | null | undefined): string {
  const text = (e ?? '').replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

function kindText(ch: Channel, t: (k: 'email' | 'fmt_json' | 'fmt_wecom' | 'fmt_dingtalk') => string): string {
  if (ch.kind === 'email') return t('email');
  const f = (ch.config.format as Format | undefined) ?? 'json';
  return `Webhook · ${t(`fmt_${f}`)}`;
}

function ChannelCard({ ch, onEdit, onDelete }: { ch: Channel; onEdit: () => void; onDelete: () => void }) {
  const t = useT(mChannels);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const { lang } = useLang();
  const qc = useQueryClient();
  const [to, setTo] = useState('');
  const test = useMutation({
    mutationFn: () => call(chApi[':id'].test.$post({ param: { id: String(ch.id) }, json: ch.kind === 'email' && to.trim() ? { to: to.trim() } : {} })),
    onSettled: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
  const target = ch.kind === 'email' ? String(ch.config.smtpUrl ?? t('serverSmtp')) : String(ch.config.url ?? '');
  return (
    <div className="panel channel" data-testid="channel-card">
      <div className="panel-head">
        <h2>{ch.name}</h2>
        <Tag tone="blue">{kindText(ch, t)}</Tag>
        {ch.enabled ? <Tag tone="green">{ta('on')}</Tag> : <Tag>{ta('off')}</Tag>}
        <span className="spacer" />
        <button type="button" className="btn btn-sm" onClick={onEdit}>
          {tc('edit')}
        </button>
        <button type="button" className="btn btn-sm btn-danger" onClick={onDelete}>
          {tc('delete')}
        </button>
      </div>
      <div className="panel-body">
        <div className="small">
          <span className="muted">{t('target')}：</span>
          <span className="code break">{target}</span>
          {ch.kind === 'email' && ch.config.from ? <span className="muted"> · {String(ch.config.from)}</span> : null}
        </div>
        <div className="muted small">{t('deliveries', { p: ch.deliveries.pending, s: ch.deliveries.sent, f: ch.deliveries.failed })}</div>
        <div className="row test-row">
          {ch.kind === 'email' ? <input type="email" value={to} onChange={(ev) => setTo(ev.target.value)} placeholder={t('testTo')} aria-label={t('testTo')} className="test-to" /> : null}
          <button type="button" className="btn btn-sm" disabled={test.isPending} onClick={() => test.mutate()} data-testid="channel-test">
            {test.isPending ? t('testing') : t('test')}
          </button>
          {test.data ? (
            test.data.ok ? (
              <span className="ok-text small" data-testid="channel-test-result" data-ok="true">
                ✓ {t('testOk')}
              </span>
            ) : (
              <span className="err-text small" data-testid="channel-test-result" data-ok="false">
                {t('testFail', { e: plainError(test.data.error) })}
              </span>
            )
          ) : test.error ? (
            <span className="err-text small" data-testid="channel-test-result" data-ok="false">
              {t('testFail', { e: errorText(test.error, lang) })}
            </span>
          ) : null}
        </div>
        {ch.recentFailures.length > 0 ? (
          <details className="failures">
            <summary className="small">
              {t('recentFailures')}（{ch.recentFailures.length}）
            </summary>
            <ul className="small">
              {ch.recentFailures.map((f) => (
                <li key={f.id}>
                  <span className="muted">{fmtDateTime(f.createdAt)}</span> · {f.target} · <span className="err-text">{plainError(f.lastError)}</span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
    </div>
  );
}

function ChannelForm({ channel, onClose }: { channel: Channel | null; onClose: () => void }) {
  const t = useT(mChannels);
  const tc = useT(common);
  const ta = useT(mAdmin);
  const qc = useQueryClient();
  const [kind, setKind] = useState<'email' | 'webhook'>(channel?.kind === 'email' ? 'email' : 'webhook');
  const [name, setName] = useState(channel?.name ?? '');
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [url, setUrl] = useState(String(channel?.config.url ?? ''));
  const [format, setFormat] = useState<Format>((channel?.config.format as Format | undefined) ?? 'wecom');
  const [smtpUrl, setSmtpUrl] = useState(String(channel?.config.smtpUrl ?? ''));
  const [from, setFrom] = useState(String(channel?.config.from ?? ''));
  const save = useMutation({
    mutationFn: async () => {
      const emailConfig = { ...(orNull(smtpUrl) && { smtpUrl: smtpUrl.trim() }), ...(orNull(from) && { from: from.trim() }) };
      const webhookConfig = { url: url.trim(), format };
      if (channel) {
        // The SMTP password comes back masked (***): the config is only sent when it was edited.
        const unchanged =
          channel.kind === 'email'
            ? smtpUrl === String(channel.config.smtpUrl ?? '') && from === String(channel.config.from ?? '')
            : url === String(channel.config.url ?? '') && format === ((channel.config.format as Format | undefined) ?? 'json');
        const config = channel.kind === 'email' ? emailConfig : webhookConfig;
        return call(chApi[':id'].$patch({ param: { id: String(channel.id) }, json: unchanged ? { name, enabled } : { name, enabled, config } }));
      }
      return call(chApi.$post({ json: kind === 'email' ? { kind, name, enabled, config: emailConfig } : { kind, name, enabled, config: webhookConfig } }));
    },
    onSuccess: async () => {
      toast(channel ? tc('saved') : ta('created'));
      await qc.invalidateQueries({ queryKey: KEY });
      onClose();
    },
  });
  const errs = useFieldErrors(save.error, ['name', 'kind', 'enabled', 'config.url', 'config.smtpUrl', 'config.from', 'config.format', 'config']);
  const e = errs.byField;
  return (
    <FormModal
      id="channel-form"
      title={channel ? t('editTitle') : t('createTitle')}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      pending={save.isPending}
      saveTestid="channel-save"
    >
      <GeneralError text={errs.general} />
      <Field label={ta('name')} error={e.name}>
        <input value={name} onChange={(ev) => setName(ev.target.value)} maxLength={100} required />
      </Field>
      <Field label={t('kind')} error={e.kind}>
        <select value={kind} disabled={!!channel} onChange={(ev) => setKind(ev.target.value as 'email' | 'webhook')}>
          <option value="webhook">{t('webhook')}</option>
          <option value="email">{t('email')}</option>
        </select>
      </Field>
      {kind === 'webhook' ? (
        <>
          <Field label={t('format')} error={e['config.format']}>
            <select value={format} onChange={(ev) => setFormat(ev.target.value as Format)}>
              <option value="wecom">{t('fmt_wecom')}</option>
              <option value="dingtalk">{t('fmt_dingtalk')}</option>
              <option value="json">{t('fmt_json')}</option>
            </select>
          </Field>
          <Field label={t('url')} error={e['config.url'] ?? e.config}>
            <input className="code" value={url} onChange={(ev) => setUrl(ev.target.value)} placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" required />
          </Field>
        </>
      ) : (
        <>
          <Field label={t('smtpUrl')} error={e['config.smtpUrl'] ?? e.config} hint={t('smtpHint')}>
            <input className="code" value={smtpUrl} onChange={(ev) => setSmtpUrl(ev.target.value)} placeholder="smtps://user:pass@smtp.example.cn:465" />
          </Field>
          <Field label={t('from')} error={e['config.from']}>
            <input value={from} onChange={(ev) => setFrom(ev.target.value)} placeholder="舆情回应台 <opinion@example.cn>" />
          </Field>
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(ev) => setEnabled(ev.target.checked)} />
        {ta('enabled')}
      </label>
    </FormModal>
  );
}
