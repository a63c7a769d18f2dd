import { Link } from 'wouter';
import { ErrorBox, Loading } from '../../components/states.js';
import { useLang, useT } from '../../i18n/index.js';
import { beijingShort } from '../todos/data.js';
import { useHandover } from './data.js';
import { m } from './messages.js';
import { SnapshotView, stateText, useShiftText } from './Snapshot.js';

// One handover as a page to print and sign: the shift, who handed over and who took over (with
// times), the notes and the four pre-filled lists; the frame and the buttons stay off the paper.

export function HandoverPrint({ id }: { id: number }) {
  const t = useT(m);
  const { lang } = useLang();
  const shiftText = useShiftText();
  const q = useHandover(id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const h = q.data;
  const at = (v: string | null) => (v ? beijingShort(v, lang) : '—');
  return (
    <div className="ho-print" data-testid="handover-print">
      <div className="row no-print">
        <Link href="/handover" className="btn">
          ‹ {t('back')}
        </Link>
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>
      <h1 className="ho-print-title">{t('printTitle')}</h1>
      <table className="ho-print-table">
        <tbody>
          <tr>
            <th>{t('rowShift')}</th>
            <td>
              {shiftText(h)}（{t(stateText(h))}）
            </td>
          </tr>
          <tr>
            <th>{t('rowFromTo')}</th>
            <td>
              {h.from?.name ?? '—'} / {h.acceptedBy?.name ?? h.to?.name ?? '—'}
            </td>
          </tr>
          <tr>
            <th>{t('rowSubmitted')}</th>
            <td>{at(h.submittedAt)}</td>
          </tr>
          <tr>
            <th>{t('rowAccepted')}</th>
            <td>{at(h.acceptedAt)}</td>
          </tr>
          <tr>
            <th>{t('rowNotes')}</th>
            <td className="ho-pre">{h.notes || t('none')}</td>
          </tr>
          <tr>
            <th>{t('rowAcceptNote')}</th>
            <td className="ho-pre">{h.acceptNote || t('none')}</td>
          </tr>
        </tbody>
      </table>
      {h.snapshot ? <SnapshotView s={h.snapshot} links={false} /> : <p>{t('notSubmitted')}</p>}
      <div className="ho-sign">
        <span>{t('signFrom')}</span>
        <span>{t('signTo')}</span>
      </div>
    </div>
  );
}
