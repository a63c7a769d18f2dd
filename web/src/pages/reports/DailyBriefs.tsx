import { useQuery } from '@tanstack/react-query';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { m } from './messages.js';

// 日报 tab of the notices screen: the 舆情日报 the reports.daily job made (newest first), each
// with its figures and the .docx to download.

const dayZh = (day: string) => {
  const [y, mo, d] = day.split('-').map(Number);
  return `${y}年${mo}月${d}日`;
};

export function DailyBriefs() {
  const t = useT(m);
  const q = useQuery({ queryKey: ['reports', 'daily'], queryFn: () => call(api['daily-briefs'].$get()) });
  let body;
  if (q.isPending) body = <Loading />;
  else if (q.error) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (q.data.briefs.length === 0) body = <Empty title={t('dailyEmpty')} hint={t('dailyEmptyHint')} />;
  else
    body = (
      <div className="table-wrap">
        <table className="table daily-table" data-testid="daily-briefs">
          <thead>
            <tr>
              <th>{t('dailyDay')}</th>
              <th>{t('dailySerial')}</th>
              <th className="num">{t('dailyAlerts')}</th>
              <th className="num">{t('dailyCases')}</th>
              <th className="num">{t('dailyDeadlines')}</th>
              <th className="num">{t('dailyBreaches')}</th>
              <th>{t('dailyPeriods')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {q.data.briefs.map((b) => (
              <tr key={b.id}>
                <td>{dayZh(b.day)}</td>
                <td>{b.serial}</td>
                <td className="num">{b.alerts}</td>
                <td className="num">{b.cases}</td>
                <td className="num">{b.deadlines}</td>
                <td className={b.breaches > 0 ? 'num daily-breach' : 'num'}>{b.breaches}</td>
                <td>{b.periods.length > 0 ? b.periods.join('、') : t('dailyNone')}</td>
                <td>
                  <a className="btn btn-sm" href={`/api/daily-briefs/${b.id}/file`} download>
                    {t('dailyDownload')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  return (
    <section className="panel">
      <header className="panel-head">
        <h2>{t('dailyTitle')}</h2>
      </header>
      <p className="muted small daily-hint">{t('dailyHint')}</p>
      {body}
    </section>
  );
}
