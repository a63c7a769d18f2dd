import { Highlight } from '../../components/Highlight.js';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { LevelTag, Tag } from '../../components/Tag.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { fmtDateTime, fmtRelative } from '../../lib/time.js';
import { safeHref, useStory, type Alert } from './data.js';
import { m } from './messages.js';

/** The selected alert's story: what matched, what is suggested, and every item (text only). */
export function AlertDetail({ alert, now }: { alert: Alert | null; now: Date }) {
  const t = useT(m);
  const { lang } = useLang();
  const label = useLabel();
  const story = useStory(alert?.storyId ?? null);
  if (!alert) return <Empty title={t('detailEmpty')} hint={t('detailEmptyHint')} />;
  const words = alert.matchedWords;
  return (
    <div className="detail" data-testid="alert-detail" data-alert-id={alert.id}>
      <h3 className="detail-title">
        <Highlight text={alert.storyTitle} words={words} />
      </h3>
      <dl className="detail-facts">
        <dt>{t('rules')}</dt>
        <dd>{alert.rules.map((r) => r.name ?? `#${r.id}`).join('、') || '—'}</dd>
        <dt>{t('words')}</dt>
        <dd>
          {words.map((w) => (
            <mark key={w} className="word">
              {w}
            </mark>
          ))}
        </dd>
        <dt>{t('places')}</dt>
        <dd data-testid="alert-detail-places">{alert.places.join('、') || '—'}</dd>
        <dt>{t('suggestion')}</dt>
        <dd className="row">
          <LevelTag level={alert.suggestedLevel} />
          <Tag>{label('category', alert.suggestedCategory)}</Tag>
          <span>{alert.suggestedDepartment?.name ?? '—'}</span>
        </dd>
        <dt>{t('firstSeen')}</dt>
        <dd>
          {fmtDateTime(alert.heat.firstSeenAt)} <span className="muted">· {fmtRelative(alert.heat.firstSeenAt, now, lang)}</span>
        </dd>
        <dt>{t('lastSeen')}</dt>
        <dd>{fmtDateTime(alert.heat.lastSeenAt)}</dd>
        {alert.status !== 'new' ? (
          <>
            <dt>{label('alertStatus', alert.status)}</dt>
            <dd>
              {alert.dismissReason ? label('dismissReason', alert.dismissReason) : ''} {fmtDateTime(alert.dismissedAt ?? alert.updatedAt)}
            </dd>
          </>
        ) : null}
      </dl>
      {story.isPending ? (
        <Loading />
      ) : story.error ? (
        <ErrorBox error={story.error} onRetry={() => void story.refetch()} />
      ) : (
        <>
          <h4 className="detail-sub">{t('items', { n: story.data.items.length })}</h4>
          <ol className="detail-items">
            {story.data.items.map((it) => {
              const href = safeHref(it.url);
              return (
                <li key={it.id} className="detail-item">
                  <div className="item-title">
                    <Highlight text={it.title} words={it.matchedWords.length > 0 ? it.matchedWords : words} />
                  </div>
                  <div className="item-meta muted small">
                    <span>{it.sourceName}</span>
                    <span title={it.publishedAtEstimated ? t('estimated') : undefined}>
                      {fmtDateTime(it.publishedAt)}
                      {it.publishedAtEstimated ? '*' : ''}
                    </span>
                    {it.author ? <span>{t('author', { a: it.author })}</span> : null}
                    {href ? (
                      <a href={href} target="_blank" rel="noopener noreferrer">
                        {t('openLink')} ↗
                      </a>
                    ) : (
                      <span title={it.url}>{t('unsafeLink')}</span>
                    )}
                  </div>
                  <p className="item-text">{it.text.trim() ? <Highlight text={it.text} words={it.matchedWords.length > 0 ? it.matchedWords : words} /> : <span className="muted">{t('noText')}</span>}</p>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}
