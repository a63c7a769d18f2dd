import { useT } from '../../i18n/index.js';
import { m } from './messages.js';

// The desk's heading: the new-alert count, the sound switch, 登记 (register) and the hint line.

function SpeakerIcon({ on }: { on: boolean }) {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
      <path d="M2.5 6h2.5l3.5-3v10l-3.5-3H2.5z" fill="currentColor" />
      {on ? <path d="M11 5.5a3.5 3.5 0 0 1 0 5M12.8 3.8a6 6 0 0 1 0 8.4" /> : <path d="M11 6l3.5 4M14.5 6L11 10" />}
    </svg>
  );
}

export function DeskHead({ newCount, pending, sound, toggleSound, canTriage, onRegister }: { newCount: number; pending: boolean; sound: boolean; toggleSound: () => void; canTriage: boolean; onRegister: () => void }) {
  const t = useT(m);
  return (
    <>
      <div className="page-head desk-head">
        <h1>{t('title')}</h1>
        <span className={`desk-count${newCount > 0 ? ' has-new' : ''}`} title={t('newAlerts', { n: newCount })}>
          {t('tabNew')}
          <b data-testid="new-alert-count" className="num">
            {pending ? '…' : newCount}
          </b>
        </span>
        <span className="spacer" />
        <button type="button" className={`btn btn-sm sound-toggle${sound ? ' on' : ''}`} aria-pressed={sound} onClick={toggleSound} title={t('sound')}>
          <SpeakerIcon on={sound} /> {sound ? t('soundOn') : t('soundOff')}
        </button>
        {canTriage ? (
          <button type="button" className="btn btn-primary" onClick={onRegister}>
            {t('register')}
          </button>
        ) : null}
      </div>
      <p className="desk-hint small muted" data-testid="shortcut-hint">
        {canTriage ? t('hint') : `${t('readOnly')} ${t('hintReadOnly')}`}
      </p>
    </>
  );
}
