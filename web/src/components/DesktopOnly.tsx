import { useT } from '../i18n/index.js';
import { mFrame } from './messages.js';

/** Shown instead of a screen built for a desktop when the window is phone-sized (CSS decides). */
export function DesktopOnlyNote() {
  const t = useT(mFrame);
  return (
    <div className="desktop-only-note panel state" data-testid="desktop-only">
      <strong>{t('desktopOnly')}</strong>
      <p>{t('desktopOnlyHint')}</p>
    </div>
  );
}
