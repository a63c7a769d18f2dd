import { describe, expect, it } from 'vitest';
import { composeFigures, type FigureInputs } from './figures.js';
import { weekPeriod } from './period.js';
import { defaultNotable, defaultRequirements, healthLines, overviewText } from './text.js';

// The words of a notice from its figures: Chinese dates, the wording a 公文 reader expects, nested
// quotation marks, and a 监测运行情况 that never contradicts itself.

const NOW = new Date('2026-12-07T02:00:00Z');

function inputs(over: Partial<FigureInputs> = {}): FigureInputs {
  return {
    period: weekPeriod('2026-W49')!,
    now: NOW,
    totalCases: 3,
    byLevel: [],
    byCategory: [],
    onTime: { judged: 2, onTime: 1, late: 1, openOverdue: 0 },
    responseTimes: { count: 2, medianHours: 5, p90Hours: 9, averageHours: 7 },
    overdue: [],
    daily: [],
    departments: [],
    itemsMonitored: 10,
    alerts: 2,
    itemsDaily: [],
    alertsDaily: [],
    goodResponses: [],
    sources: [],
    ...over,
  };
}

const source = (name: string, fetches: number, itemsNew: number, failures: { unreachable?: number; blocked?: number } = {}) => ({
  id: name.length,
  name,
  enabled: true,
  fetches,
  unreachable: failures.unreachable ?? 0,
  blocked: failures.blocked ?? 0,
  itemsNew,
  lastStatus: fetches === 0 ? null : failures.unreachable ? ('timeout' as const) : ('ok' as const),
});

describe('the overview', () => {
  it('names the days in Chinese and says 到期应回应', () => {
    const text = overviewText(composeFigures(inputs()));
    expect(text).toContain('2026年第49周（11月30日至12月6日）');
    expect(text).toContain('到期应回应2件，按时回应1件，按时回应率50%');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe('经验做法', () => {
  it('quotes a title with quotation marks of its own as “…‘…’…”, and says how the response was made', () => {
    const f = composeFigures(inputs({ goodResponses: [{ caseId: '1', caseNumber: 'YQ-1', caseTitle: '某小区物业“乱收费”', departmentName: '市住建局', hours: 5, channel: 'reply', effectRating: 'good' }] }));
    expect(defaultNotable(f)).toBe('市住建局对“某小区物业‘乱收费’”（YQ-1）在5小时内直接答复网民，回应效果评价为“好”。');
  });
});

describe('下一步工作要求', () => {
  it('sends the 整改 report to the office the profile names', () => {
    const f = composeFigures(
      inputs({
        overdue: [{ caseId: '1', caseNumber: 'YQ-1', caseTitle: 't', kind: 'response', seq: 1, status: 'open', dueAt: NOW, metAt: null, hoursLate: 3, departmentId: 7, departmentName: '市水务局' }],
      }),
    );
    expect(defaultRequirements(f, '市政府办公室政务公开科')).toContain('市水务局要认真查找超时原因，对仍未回应的事项立即作出回应，并于3个工作日内将整改情况书面报送市政府办公室政务公开科。');
  });
});

describe('监测运行情况', () => {
  it('says a period without a single fetch is one, never that every source had new items', () => {
    const lines = healthLines(composeFigures(inputs({ sources: [source('清河新闻网', 0, 0), source('清河论坛', 0, 0)] })));
    expect(lines).toEqual(['本期2个监测源均未进行抓取（抓取0次），监测处于中断状态，技术保障部门要立即查明原因、恢复监测。']);
  });

  it('says when no source is configured', () => {
    expect(healthLines(composeFigures(inputs()))).toEqual(['本期未配置监测源，无监测运行数据。']);
  });

  it('names the unreachable, the idle and the silent sources, and says all had new items only when they did', () => {
    const lines = healthLines(composeFigures(inputs({ sources: [source('清河新闻网', 5, 3), source('县新闻网', 4, 0, { unreachable: 2 }), source('某门户', 0, 0)] })));
    expect(lines).toEqual([
      '本期3个监测源共抓取9次。',
      '无法访问的监测源1个：县新闻网（2次，最近一次：超时）。',
      '未发现被拦截的监测源。',
      '本期未抓取的监测源1个：某门户。',
      '本期无新增信息的监测源1个：县新闻网。',
    ]);
    const all = healthLines(composeFigures(inputs({ sources: [source('清河新闻网', 5, 3)] })));
    expect(all).toEqual(['本期1个监测源共抓取5次。', '各监测源均可正常访问。', '未发现被拦截的监测源。', '各监测源本期均有新增信息。']);
  });
});
