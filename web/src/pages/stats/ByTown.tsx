import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { LIGHT } from './charts.js';

// 按乡镇统计: alerts raised and cases opened in the range per 乡镇（街道） of the area (GET
// /api/stats/places, the same range as the rest of the screen), as bars and as a table.

const mt = defineMessages(
  {
    title: '按乡镇（地域）',
    town: '乡镇（街道）',
    alerts: '预警',
    cases: '事件',
    none: '本期没有涉及本辖区乡镇的预警和事件',
    noArea: '尚未设置辖区',
    noAreaHint: '系统管理员在“系统管理 → 辖区”选择区县后，按乡镇统计预警和事件。',
  },
  {
    title: 'By town (place)',
    town: 'Town',
    alerts: 'Alerts',
    cases: 'Cases',
    none: 'No alert or case of this period names a town of the area',
    noArea: 'No area set yet',
    noAreaHint: 'Once an administrator picks the county under Administration → Area, alerts and cases are counted by town.',
  },
);

export function ByTown({ range }: { range: { from: string; to: string } }) {
  const t = useT(mt);
  const q = useQuery({
    queryKey: ['stats', 'places', range.from, range.to],
    queryFn: () => call(api.stats.places.$get({ query: { from: range.from, to: range.to } })),
    placeholderData: (prev) => prev,
  });
  let body;
  if (q.isPending) body = <Loading />;
  else if (q.isError) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (q.data.towns.length === 0) body = <Empty title={t('noArea')} hint={t('noAreaHint')} />;
  else {
    const rows = q.data.towns.filter((x) => x.alerts + x.cases > 0).sort((a, b) => b.alerts + b.cases - (a.alerts + a.cases) || a.code.localeCompare(b.code));
    body =
      rows.length === 0 ? (
        <Empty title={t('none')} />
      ) : (
        <div className="by-town">
          <ResponsiveContainer width="100%" height={Math.max(140, Math.min(rows.length, 15) * 34 + 40)}>
            <BarChart data={rows.slice(0, 15)} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }}>
              <CartesianGrid stroke={LIGHT.grid} horizontal={false} />
              <XAxis type="number" allowDecimals={false} tick={{ fill: LIGHT.ink, fontSize: LIGHT.font }} tickLine={false} axisLine={false} />
              <YAxis type="category" dataKey="name" width={96} tick={{ fill: LIGHT.ink, fontSize: LIGHT.font }} tickLine={false} axisLine={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="alerts" name={t('alerts')} fill={LIGHT.a} barSize={12} isAnimationActive={false} />
              <Bar dataKey="cases" name={t('cases')} fill={LIGHT.b} barSize={12} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <table className="table stats-table" data-testid="by-town-table">
            <thead>
              <tr>
                <th>{t('town')}</th>
                <th className="num">{t('alerts')}</th>
                <th className="num">{t('cases')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr key={x.code}>
                  <td>{x.name}</td>
                  <td className="num">{x.alerts}</td>
                  <td className="num">{x.cases}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
  return (
    <section className="panel" data-testid="stats-by-town">
      <div className="panel-head">
        <h2>{t('title')}</h2>
      </div>
      <div className="panel-body">{body}</div>
    </section>
  );
}
