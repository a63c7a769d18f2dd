import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { Empty, ErrorBox, FormError, Loading } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { useLang, useT } from '../../i18n/index.js';
import { api, call, errorText, type Ok } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';
import { fmtDateTime, fmtRelative, useNow } from '../../lib/time.js';
import { m } from './messages.js';
import './notifications.css';

// 通知: the signed-in user's own notifications, newest first, with an unread filter. Marking read
// refreshes every ['notifications', …] query, so the count in the header follows.

type Page = Ok<Awaited<ReturnType<typeof api.notifications.$get>>>;
type Notification = Page['items'][number];

const PAGE = 50;

export default function NotificationsPage() {
  const t = useT(m);
  const { lang } = useLang();
  const qc = useQueryClient();
  const now = useNow(30_000);
  const [unreadOnly, setUnreadOnly] = useState(false);

  const q = useInfiniteQuery({
    // The server renders each notification in the reader's language (from its message key).
    queryKey: ['notifications', 'list', unreadOnly ? 'unread' : 'all', lang],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const query: { limit: string; lang: typeof lang; unread?: '1'; cursor?: string } = { limit: String(PAGE), lang };
      if (unreadOnly) query.unread = '1';
      if (pageParam) query.cursor = pageParam;
      return call(api.notifications.$get({ query }));
    },
    getNextPageParam: (last: Page) => last.nextCursor ?? undefined,
  });

  useAppEvents((ev) => {
    if (ev.type === 'notification.created') void qc.invalidateQueries({ queryKey: ['notifications'] });
  });

  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });
  const markOne = useMutation({
    mutationFn: (id: string) => call(api.notifications[':id'].read.$post({ param: { id } })),
    onSettled: refresh,
    onError: (err) => toast(errorText(err, lang), 'error'),
  });
  const markAll = useMutation({
    mutationFn: () => call(api.notifications['read-all'].$post()),
    onSuccess: (r) => toast(t('markedAll', { n: r.updated })),
    onSettled: refresh,
  });

  const items = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  const unreadCount = q.data?.pages[0]?.unreadCount ?? 0;

  let body;
  if (q.isPending) body = <Loading />;
  else if (q.error) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (items.length === 0)
    body = unreadOnly ? <Empty title={t('emptyUnread')} hint={t('emptyUnreadHint')} /> : <Empty title={t('empty')} hint={t('emptyHint')} />;
  else
    body = (
      <ul className="notif-list">
        {items.map((n) => (
          <NotificationRow key={n.id} n={n} now={now} busy={markOne.isPending && markOne.variables === n.id} onRead={() => markOne.mutate(n.id)} />
        ))}
      </ul>
    );

  return (
    <div className="notif-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        {unreadCount > 0 ? <Tag tone="red">{t('unreadN', { n: unreadCount })}</Tag> : null}
        <span className="spacer" />
        <button type="button" className="btn" disabled={unreadCount === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
          {t('markAll')}
        </button>
      </div>
      <FormError error={markAll.error} />
      <section className="panel">
        <header className="panel-head notif-tabs" role="tablist">
          {([false, true] as const).map((u) => (
            <button key={String(u)} type="button" role="tab" aria-selected={unreadOnly === u} className={`notif-tab${unreadOnly === u ? ' active' : ''}`} onClick={() => setUnreadOnly(u)}>
              {u ? t('unread') : t('all')}
            </button>
          ))}
        </header>
        {body}
        {q.hasNextPage ? (
          <p className="notif-more">
            <button type="button" className="btn btn-sm" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
              {q.isFetchingNextPage ? t('loadingMore') : t('loadMore')}
            </button>
          </p>
        ) : null}
      </section>
    </div>
  );
}

/**
 * A notice written for a text message ends with the link to open (an alert push: "… 请及时研判
 * http://…/desk?alert=73"): on this screen the link is a button, not text.
 */
export function splitTrailingLink(title: string, origin: string): { title: string; href: string | null } {
  const hit = /\s*(https?:\/\/\S+)$/.exec(title);
  if (!hit) return { title, href: null };
  let href = hit[1];
  try {
    const u = new URL(href);
    if (u.origin === origin) href = `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return { title, href: null };
  }
  return { title: title.slice(0, hit.index), href };
}

function NotificationRow({ n, now, busy, onRead }: { n: Notification; now: Date; busy: boolean; onRead: () => void }) {
  const t = useT(m);
  const { lang } = useLang();
  const read = n.readAt !== null;
  const { title, href } = splitTrailingLink(n.title, window.location.origin);
  return (
    <li className={`notif-row${read ? '' : ' unread'}${n.urgent ? ' urgent' : ''}`} data-testid="notification-row" data-read={read ? 'true' : 'false'} data-notification-id={n.id}>
      <span className="notif-dot" aria-hidden="true" />
      <div className="notif-main">
        <div className="notif-title">
          {n.urgent ? <Tag tone="red">{t('urgent')}</Tag> : null}
          <span>{title}</span>
        </div>
        {n.body ? <p className="notif-body">{n.body}</p> : null}
        <div className="notif-meta muted small">
          <time dateTime={n.createdAt} title={fmtDateTime(n.createdAt)}>
            {fmtRelative(n.createdAt, now, lang)} · {fmtDateTime(n.createdAt)}
          </time>
          {read ? <span>{t('readAt', { t: fmtDateTime(n.readAt) })}</span> : null}
        </div>
      </div>
      <div className="notif-actions">
        {n.caseId ? (
          <Link href={`/cases/${n.caseId}`} className="btn btn-sm" onClick={() => !read && onRead()}>
            {t('viewCase')}
          </Link>
        ) : href === null ? null : href.startsWith('/') ? (
          <Link href={href} className="btn btn-sm" data-testid="notification-open" onClick={() => !read && onRead()}>
            {t('open')}
          </Link>
        ) : (
          <a href={href} className="btn btn-sm" data-testid="notification-open" target="_blank" rel="noopener noreferrer">
            {t('open')}
          </a>
        )}
        {!read ? (
          <button type="button" className="btn btn-sm" disabled={busy} onClick={onRead}>
            {t('markRead')}
          </button>
        ) : null}
      </div>
    </li>
  );
}
