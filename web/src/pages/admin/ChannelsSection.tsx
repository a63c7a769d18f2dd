import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { inLanguage } from '../../lib/bilingual.js';
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
type Kind = Channel['kind'];
const DEFAULT_SMS_BODY = '{"phone":"{phone}","text":"{text}"}';
const SMS_CONTENT_TYPES = ['application/json; charset=utf-8', 'application/x-www-form-urlencoded; charset=utf-8'] as const;

/** Headers as the admin types them: one "Name: value" a line. */
function headersText(h: unknown): string {
  return Object.entries((h ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** The headers of the text, or the 1-based number of the first line that is not "Name: value". */
function parseHeaders(text: string): Record<string, string> | number {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const m = /^([A-Za-z0-9-]{1,64})\s*:\s*(.*)$/.exec(line);
    if (!m) return i + 1;
    out[m[1]!] = m[2]!;
  }
  return out;
}
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

/**
 * A delivery error as a person reads it: an HTML error page from the remote side becomes its text,
 * and a message the server wrote in both languages ("用户未设置手机号，已跳过 / skipped: …") is shown
 * in the interface's language only.
 */
function plainError(e: string | null | undefined, lang: 'zh' | 'en'): string {
  let text = (e ?? '').replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  text = inLanguage(text, lang);
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

function kindText(ch: Channel, t: (k: 'email' | 'sms' | 'fmt_json' | 'fmt_wecom' | 'fmt_dingtalk') => string): string {
  if (ch.kind === 'email') return t('email');
  if (ch.kind === 'sms') return t('sms');
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
    mutationFn: () =>
      call(
        chApi[':id'].test.$post({
          param: { id: String(ch.id) },
          json: !to.trim() ? {} : ch.kind === 'email' ? { to: to.trim() } : ch.kind === 'sms' ? { phone: to.trim() } : {},
        }),
      ),
    onSettled: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
  const target = ch.kind === 'email' ? String(ch.config.smtpUrl ?? t('serverSmtp')) : ch.kind === 'sms' ? `${String(ch.config.method ?? 'POST')} ${String(ch.config.url ?? '')}` : String(ch.config.url ?? '');
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
          <span className="code break" translate="no">
            {target}
          </span>
          {ch.kind === 'email' && ch.config.from ? <span className="muted"> · {String(ch.config.from)}</span> : null}
        </div>
        <div className="muted small">{t('deliveries', { p: ch.deliveries.pending, s: ch.deliveries.sent, f: ch.deliveries.failed })}</div>
        <div className="row test-row">
          {ch.kind === 'email' ? <input type="email" value={to} onChange={(ev) => setTo(ev.target.value)} placeholder={t('testTo')} aria-label={t('testTo')} className="test-to" /> : null}
          {ch.kind === 'sms' ? (
            <input type="tel" inputMode="numeric" value={to} onChange={(ev) => setTo(ev.target.value)} placeholder={t('testPhone')} aria-label={t('testPhone')} className="test-to" data-testid="channel-test-phone" />
          ) : null}
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
                {t('testFail', { e: plainError(test.data.error, lang) })}
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
                  <span className="muted">{fmtDateTime(f.createdAt)}</span> · {f.target} · <span className="err-text">{plainError(f.lastError, lang)}</span>
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
  const [kind, setKind] = useState<Kind>(channel?.kind ?? 'webhook');
  const [name, setName] = useState(channel?.name ?? '');
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [url, setUrl] = useState(String(channel?.config.url ?? ''));
  const [format, setFormat] = useState<Format>((channel?.config.format as Format | undefined) ?? 'wecom');
  const [smtpUrl, setSmtpUrl] = useState(String(channel?.config.smtpUrl ?? ''));
  const [from, setFrom] = useState(String(channel?.config.from ?? ''));
  const [method, setMethod] = useState<'POST' | 'GET'>(channel?.config.method === 'GET' ? 'GET' : 'POST');
  const [headers, setHeaders] = useState(headersText(channel?.config.headers));
  const [bodyTemplate, setBodyTemplate] = useState(String(channel?.config.bodyTemplate ?? DEFAULT_SMS_BODY));
  const [contentType, setContentType] = useState(String(channel?.config.contentType ?? SMS_CONTENT_TYPES[0]));
  const [urgentOnly, setUrgentOnly] = useState(channel?.config.urgentOnly !== false);
  const [headersError, setHeadersError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: async () => {
      const emailConfig = { ...(orNull(smtpUrl) && { smtpUrl: smtpUrl.trim() }), ...(orNull(from) && { from: from.trim() }) };
      const webhookConfig = { url: url.trim(), format };
      const parsedHeaders = parseHeaders(headers);
      if (kind === 'sms' && typeof parsedHeaders === 'number') {
        setHeadersError(t('smsHeadersBad', { n: parsedHeaders }));
        throw new Error(t('smsHeadersBad', { n: parsedHeaders }));
      }
      setHeadersError(null);
      const smsConfig = { url: url.trim(), method, headers: typeof parsedHeaders === 'number' ? {} : parsedHeaders, bodyTemplate, contentType, urgentOnly };
      if (channel) {
        // The SMTP password comes back masked (***): the config is only sent when it was edited.
        const unchanged =
          channel.kind === 'email'
            ? smtpUrl === String(channel.config.smtpUrl ?? '') && from === String(channel.config.from ?? '')
            : channel.kind === 'sms'
              ? JSON.stringify(smsConfig) ===
                JSON.stringify({ url: channel.config.url, method: channel.config.method, headers: channel.config.headers, bodyTemplate: channel.config.bodyTemplate, contentType: channel.config.contentType, urgentOnly: channel.config.urgentOnly })
              : url === String(channel.config.url ?? '') && format === ((channel.config.format as Format | undefined) ?? 'json');
        const config = channel.kind === 'email' ? emailConfig : channel.kind === 'sms' ? smsConfig : webhookConfig;
        return call(chApi[':id'].$patch({ param: { id: String(channel.id) }, json: unchanged ? { name, enabled } : { name, enabled, config } }));
      }
      if (kind === 'email') return call(chApi.$post({ json: { kind, name, enabled, config: emailConfig } }));
      if (kind === 'sms') return call(chApi.$post({ json: { kind, name, enabled, config: smsConfig } }));
      return call(chApi.$post({ json: { kind, name, enabled, config: webhookConfig } }));
    },
    onSuccess: async () => {
      toast(channel ? tc('saved') : ta('created'));
      await qc.invalidateQueries({ queryKey: KEY });
      onClose();
    },
  });
  const errs = useFieldErrors(headersError ? null : save.error, [
    'name',
    'kind',
    'enabled',
    'config.url',
    'config.smtpUrl',
    'config.from',
    'config.format',
    'config.method',
    'config.headers',
    'config.bodyTemplate',
    'config.contentType',
    'config',
  ]);
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
        <select value={kind} disabled={!!channel} onChange={(ev) => setKind(ev.target.value as Kind)} data-testid="channel-kind">
          <option value="webhook">{t('webhook')}</option>
          <option value="email">{t('email')}</option>
          <option value="sms">{t('sms')}</option>
        </select>
      </Field>
      {kind === 'sms' ? (
        <>
          <Field label={t('smsUrl')} error={e['config.url'] ?? e.config} hint={t('smsUrlHint')}>
            <input className="code" value={url} onChange={(ev) => setUrl(ev.target.value)} placeholder="https://sms.example.cn/api/send" required data-testid="sms-url" />
          </Field>
          <Field label={t('smsMethod')} error={e['config.method']}>
            <select value={method} onChange={(ev) => setMethod(ev.target.value as 'POST' | 'GET')} data-testid="sms-method">
              <option value="POST">POST</option>
              <option value="GET">GET</option>
            </select>
          </Field>
          <Field label={t('smsHeaders')} error={headersError ?? e['config.headers']} hint={t('smsHeadersHint')}>
            <textarea className="code" rows={2} value={headers} onChange={(ev) => setHeaders(ev.target.value)} data-testid="sms-headers" />
          </Field>
          {method === 'POST' ? (
            <>
              <Field label={t('smsBody')} error={e['config.bodyTemplate']} hint={t('smsBodyHint')}>
                <textarea className="code" rows={3} value={bodyTemplate} onChange={(ev) => setBodyTemplate(ev.target.value)} data-testid="sms-body" />
              </Field>
              <Field label={t('smsContentType')} error={e['config.contentType']}>
                <select value={contentType} onChange={(ev) => setContentType(ev.target.value)} data-testid="sms-content-type">
                  {[...new Set([...SMS_CONTENT_TYPES, contentType])].map((c) => (
                    <option key={c} value={c}>
                      {c === SMS_CONTENT_TYPES[0] ? t('ct_json') : c === SMS_CONTENT_TYPES[1] ? t('ct_form') : c}
                    </option>
                  ))}
                </select>
              </Field>
            </>
          ) : null}
          <label className="check">
            <input type="checkbox" checked={urgentOnly} onChange={(ev) => setUrgentOnly(ev.target.checked)} data-testid="sms-urgent-only" />
            {t('smsUrgentOnly')}
          </label>
        </>
      ) : kind === 'webhook' ? (
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
