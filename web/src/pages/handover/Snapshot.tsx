import { Link } from 'wouter';
import { useLang, useT } from '../../i18n/index.js';
import { labelOf } from '../../i18n/labels.js';
import { beijingShort } from '../todos/data.js';
import type { Handover, Slot, Snapshot } from './data.js';
import { m } from './messages.js';

// What a handover carries: the four pre-filled lists, each with its count ("无" when empty).

export function useShiftText() {
  const t = useT(m);
  const { lang } = useLang();
  return (s: Pick<Slot, 'shiftName' | 'startsAt' | 'endsAt'>) => t('shift', { name: s.shiftName, from: beijingShort(s.startsAt, lang), to: beijingShort(s.endsAt, lang) });
}

export function SnapshotView({ s, links = true }: { s: Snapshot; links?: boolean }) {
  const t = useT(m);
  const { lang } = useLang();
  const to = (href: string, text: string) => (links ? <Link href={href}>{text}</Link> : <span>{text}</span>);
  const more = s.untriaged.total - s.untriaged.items.length;
  return (
    <div className="ho-snapshot" data-testid="handover-snapshot">
      <Block title={t('untriaged', { n: s.untriaged.total })} testid="ho-untriaged" empty={s.untriaged.items.length === 0}>
        {s.untriaged.items.map((a) => (
          <li key={a.id}>
            {to(`/desk?alert=${a.id}`, a.title)} <span className="muted small">{beijingShort(a.createdAt, lang)}</span>
          </li>
        ))}
        {more > 0 ? <li className="muted small">{t('more', { n: more })}</li> : null}
      </Block>
      <Block title={t('opened', { n: s.opened.length })} testid="ho-opened" empty={s.opened.length === 0}>
        {s.opened.map((c) => (
          <li key={c.id}>
            <span className="ho-number">{c.number}</span> {to(`/cases/${c.id}`, c.title)}{' '}
            <span className="muted small">
              {labelOf(lang, 'level', c.level)}
              {c.department ? ` · ${c.department}` : ''}
            </span>
          </li>
        ))}
      </Block>
      <Block title={t('deadlines', { n: s.deadlines.items.length })} testid="ho-deadlines" empty={s.deadlines.items.length === 0}>
        {s.deadlines.items.map((d) => (
          <li key={`${d.caseId}-${d.kind}-${d.dueAt}`}>
            <span className="ho-number">{d.number}</span> {to(`/cases/${d.caseId}`, d.title)}{' '}
            <span className="muted small">
              {labelOf(lang, 'obligationKind', d.kind)} · {t('due', { at: beijingShort(d.dueAt, lang) })}
            </span>
          </li>
        ))}
      </Block>
      <Block title={t('pushes', { n: s.pushes.length })} testid="ho-pushes" empty={s.pushes.length === 0}>
        {s.pushes.map((p) => (
          <li key={p.alertId}>
            {to(`/desk?alert=${p.alertId}`, p.title)} <span className="muted small">{t('pushedAt', { at: beijingShort(p.pushedAt, lang) })}</span>
          </li>
        ))}
      </Block>
    </div>
  );
}

function Block({ title, testid, empty, children }: { title: string; testid: string; empty: boolean; children: React.ReactNode }) {
  const t = useT(m);
  return (
    <section className="ho-block" data-testid={testid}>
      <h3>{title}</h3>
      {empty ? <p className="muted small">{t('none')}</p> : <ul>{children}</ul>}
    </section>
  );
}

export const stateText = (h: Pick<Handover, 'state'>) => `state.${h.state}` as const;
