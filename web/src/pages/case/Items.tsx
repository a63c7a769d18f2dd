import { useState } from 'react';
import { Empty } from '../../components/states.js';
import { useT } from '../../i18n/index.js';
import { fmtDateTime } from '../../lib/time.js';
import { safeHref, type CaseData, type CaseItem } from './data.js';
import { m } from './messages.js';

// The story's items as captured when the case was opened (evidence snapshots). Crawled text is
// shown as text only (React escapes it); only http(s) addresses become links.

const LONG = 220;

export function Items({ c }: { c: CaseData }) {
  const t = useT(m);
  return (
    <div className="stack cr-items">
      {c.stories.length > 0 ? (
        <div>
          <h3 className="small muted">{t('stories')}</h3>
          <ul className="cr-stories">
            {c.stories.map((s) => (
              <li key={s.id}>
                <div className="cr-story-title">{s.title}</div>
                <div className="muted small">{t('storyLine', { items: s.itemCount, sources: s.sourceCount, at: fmtDateTime(s.lastSeenAt) })}</div>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {c.items.length === 0 ? (
        <Empty title={t('itemsEmpty')} hint={t('itemsEmptyHint')} />
      ) : (
        <ul className="cr-item-list">
          {c.items.map((i) => (
            <ItemCard key={i.id} item={i} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ItemCard({ item }: { item: CaseItem }) {
  const t = useT(m);
  const [open, setOpen] = useState(false);
  const href = safeHref(item.url);
  const text = item.text.trim();
  const long = text.length > LONG;
  return (
    <li className="cr-item" data-testid="case-item">
      <div className="cr-item-title">
        {href ? (
          <a href={href} target="_blank" rel="noopener noreferrer">
            {item.title || item.url}
          </a>
        ) : (
          <span title={item.url ? t('unsafeLink') : undefined}>{item.title}</span>
        )}
      </div>
      <div className="muted small">
        {item.sourceName} · {t('publishedAt')} {fmtDateTime(item.publishedAt)} · {t('capturedAt')} {fmtDateTime(item.capturedAt)}
      </div>
      <div className="cr-snapshot" aria-label={t('snapshot')} data-testid="item-snapshot">
        {text ? (open || !long ? text : `${text.slice(0, LONG)}…`) : <span className="muted">{t('noText')}</span>}
      </div>
      {long ? (
        <button type="button" className="btn-link small cr-more" onClick={() => setOpen((v) => !v)}>
          {open ? t('collapse') : t('expand')}
        </button>
      ) : null}
    </li>
  );
}
