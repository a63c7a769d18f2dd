import { Empty } from '../../components/states.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { pct, type Stats } from './data.js';

// 回应效果排名: departments by the combined effect score (好评率, 热度下降率, 反弹率), the formula
// shown under the table — the same figures the notices print (db/repos/stats.ts effects).

const m = defineMessages(
  {
    none: '本期没有办结或回应的事件，暂无效果数据',
    colRank: '排名',
    colDept: '责任单位',
    colClosed: '办结',
    colGood: '好评率',
    colDrop: '热度下降',
    colReflare: '反弹率',
    colScore: '效果得分',
  },
  {
    none: 'No case closed or responded in the period: no effect figures',
    colRank: 'Rank',
    colDept: 'Department',
    colClosed: 'Closed',
    colGood: 'Rated good',
    colDrop: 'Heat drop',
    colReflare: 'Re-flare',
    colScore: 'Score',
  },
);

export function EffectRanking({ s }: { s: Stats }) {
  const t = useT(m);
  const rows = [...s.departments].filter((d) => d.effectScore !== null).sort((a, b) => a.effectRank - b.effectRank);
  if (rows.length === 0) return <Empty title={t('none')} />;
  return (
    <>
      <table className="table stats-table ranking" data-testid="effect-table">
        <thead>
          <tr>
            <th className="center">{t('colRank')}</th>
            <th>{t('colDept')}</th>
            <th className="right col-wide">{t('colClosed')}</th>
            <th className="right">{t('colGood')}</th>
            <th className="right col-wide">{t('colDrop')}</th>
            <th className="right col-wide">{t('colReflare')}</th>
            <th className="right">{t('colScore')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d, i) => (
            <tr key={d.id} data-testid="effect-row" data-dept={d.name}>
              <td className="center">
                <span className={`rank rank-${i < 3 ? i + 1 : 'n'}`}>{i + 1}</span>
              </td>
              <td className="nowrap rank-dept">{d.name}</td>
              <td className="right num col-wide">{d.closed}</td>
              <td className="right num">{pct(d.goodRate)}</td>
              <td className="right num col-wide">{pct(d.heatDrop)}</td>
              <td className="right num col-wide">{pct(d.reflareRate)}</td>
              <td className="right num">
                <strong>{d.effectScore?.toFixed(1)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small" data-testid="effect-formula">
        {s.effectFormula}
      </p>
    </>
  );
}
