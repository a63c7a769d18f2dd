import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, ListState } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { api, call, type Ok } from '../../lib/api.js';
import { shanghaiDay } from '../../lib/time.js';
import { Field, GeneralError, useFieldErrors } from './form.js';

// 管理 → 值班表: shifts, the month's roster (click a slot to assign or swap it, with a reason), and
// "fill a month from a weekly pattern" (the working-day calendar decides which shifts a day has).

const m = defineMessages(
  {
    heading: '值班表',
    intro: '值班员按班次接收预警推送；超时未确认的推送依次转给备班和带班领导。不在任何班次时，推送发给全部值班员。',
    shifts: '班次',
    addShift: '新增班次',
    name: '名称',
    start: '开始',
    end: '结束',
    nextDay: '次日',
    month: '月份',
    day: '日期',
    primary: '值班',
    backup: '备班',
    leader: '带班领导',
    none: '（无）',
    empty: '本月尚未排班',
    emptyHint: '用下方的周模板一次排满整月，或点击某个日期排班。',
    swapTitle: '排班 / 调班：{day} {shift}',
    reason: '调班原因',
    reasonHint: '调换已排定的班次须填写原因，记入审计日志。',
    fillTitle: '按周模板排满本月',
    fillHint: '每周的模板按星期重复；工作日与休息日（含法定节假日和调休）取自工作日历。',
    workdayShifts: '工作日排的班次：',
    offdayShifts: '休息日排的班次：',
    fill: '排满 {month}',
    filled: '已排 {n} 个班次',
    weekday: '星期',
    wd1: '一',
    wd2: '二',
    wd3: '三',
    wd4: '四',
    wd5: '五',
    wd6: '六',
    wd7: '日',
  },
  {
    heading: 'Duty roster',
    intro: 'Duty officers on a shift receive alert pushes; pushes not acknowledged in time go to the backup, then the leader on duty. Outside any shift, pushes go to every duty officer.',
    shifts: 'Shifts',
    addShift: 'Add shift',
    name: 'Name',
    start: 'Start',
    end: 'End',
    nextDay: 'next day',
    month: 'Month',
    day: 'Day',
    primary: 'On duty',
    backup: 'Backup',
    leader: 'Leader on duty',
    none: '(none)',
    empty: 'No roster for this month yet',
    emptyHint: 'Fill the whole month from the weekly pattern below, or click a day to assign it.',
    swapTitle: 'Assign / swap: {day} {shift}',
    reason: 'Reason for the swap',
    reasonHint: 'Changing an assigned shift needs a reason; it is written to the audit log.',
    fillTitle: 'Fill the month from a weekly pattern',
    fillHint: 'The pattern repeats by weekday; working days and days off (holidays and make-up workdays) come from the work calendar.',
    workdayShifts: 'Shifts on working days:',
    offdayShifts: 'Shifts on days off:',
    fill: 'Fill {month}',
    filled: '{n} shifts assigned',
    weekday: 'Weekday',
    wd1: 'Mon',
    wd2: 'Tue',
    wd3: 'Wed',
    wd4: 'Thu',
    wd5: 'Fri',
    wd6: 'Sat',
    wd7: 'Sun',
  },
);

type Shift = Ok<Awaited<ReturnType<typeof api.roster.shifts.$get>>>['shifts'][number];
type User = Ok<Awaited<ReturnType<typeof api.users.$get>>>['users'][number];
type Person = { primary: string; backup: string; leader: string };
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const idOrNull = (s: string) => (s === '' ? null : Number(s));

function PersonSelect({ users, value, onChange, label }: { users: User[]; value: string; onChange: (v: string) => void; label: string }) {
  const t = useT(m);
  return (
    <select value={value} onChange={(ev) => onChange(ev.target.value)} aria-label={label}>
      <option value="">{t('none')}</option>
      {users.map((u) => (
        <option key={u.id} value={u.id}>
          {u.displayName}
        </option>
      ))}
    </select>
  );
}

export function RosterSection() {
  const t = useT(m);
  const tc = useT(common);
  const qc = useQueryClient();
  const [month, setMonth] = useState(() => shanghaiDay(new Date()).slice(0, 7));
  const shifts = useQuery({ queryKey: ['admin', 'roster', 'shifts'], queryFn: async () => (await call(api.roster.shifts.$get())).shifts });
  const users = useQuery({ queryKey: ['admin', 'users'], queryFn: async () => (await call(api.users.$get())).users });
  const roster = useQuery({ queryKey: ['admin', 'roster', month], queryFn: async () => (await call(api.roster.$get({ query: { month } }))).slots });
  const active = (users.data ?? []).filter((u) => !u.disabled);
  const duty = active.filter((u) => u.role === 'duty' || u.role === 'admin');
  const leaders = active.filter((u) => u.role === 'leader' || u.role === 'reviewer');
  const refresh = () => qc.invalidateQueries({ queryKey: ['admin', 'roster'] });

  const [shiftForm, setShiftForm] = useState({ name: '', start: '08:30', end: '17:30' });
  const addShift = useMutation({
    mutationFn: () => call(api.roster.shifts.$post({ json: { ...shiftForm, position: (shifts.data?.length ?? 0) + 1 } })),
    onSuccess: async () => {
      toast(tc('saved'));
      setShiftForm({ name: '', start: '08:30', end: '17:30' });
      await refresh();
    },
  });

  const [slot, setSlot] = useState<{ day: string; shift: Shift; p: Person; reason: string } | null>(null);
  const swap = useMutation({
    mutationFn: (s: NonNullable<typeof slot>) =>
      call(api.roster.swap.$post({ json: { day: s.day, shiftId: s.shift.id, primaryUserId: Number(s.p.primary), backupUserId: idOrNull(s.p.backup), leaderUserId: idOrNull(s.p.leader), reason: s.reason } })),
    onSuccess: async () => {
      toast(tc('saved'));
      setSlot(null);
      await refresh();
    },
  });

  const [pattern, setPattern] = useState<Record<string, Person>>({});
  const [kinds, setKinds] = useState<{ workday: number[] | null; offday: number[] | null }>({ workday: null, offday: null });
  const fill = useMutation({
    mutationFn: () => {
      const slots = Object.entries(pattern)
        .filter(([, p]) => p.primary !== '')
        .map(([k, p]) => ({ weekday: Number(k.split('/')[0]), shiftId: Number(k.split('/')[1]), primaryUserId: Number(p.primary), backupUserId: idOrNull(p.backup), leaderUserId: idOrNull(p.leader) }));
      const all = (shifts.data ?? []).map((s) => s.id);
      return call(api.roster.fill.$post({ json: { month, slots, shiftsByDayKind: { workday: kinds.workday ?? all, offday: kinds.offday ?? all } } }));
    },
    onSuccess: async (r) => {
      toast(t('filled', { n: r.rows }));
      await refresh();
    },
  });
  const errs = useFieldErrors(addShift.error ?? swap.error ?? fill.error, ['name', 'start', 'end', 'reason', 'primaryUserId', 'backupUserId', 'leaderUserId', 'slots']);
  const cellOf = (day: string, shiftId: number) => roster.data?.find((r) => r.day === day && r.shiftId === shiftId);
  const days = [...new Set((roster.data ?? []).map((r) => r.day))];
  const shiftList = shifts.data ?? [];
  const kindBox = (kind: 'workday' | 'offday', id: number) => {
    const cur = kinds[kind] ?? shiftList.map((s) => s.id);
    return (
      <label key={`${kind}${id}`} className="check">
        <input type="checkbox" checked={cur.includes(id)} onChange={(ev) => setKinds({ ...kinds, [kind]: ev.target.checked ? [...cur, id] : cur.filter((x) => x !== id) })} />
        {shiftList.find((s) => s.id === id)?.name}
      </label>
    );
  };

  return (
    <div className="stack" data-testid="roster-section">
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="spacer" />
        <input type="month" value={month} onChange={(ev) => ev.target.value && setMonth(ev.target.value)} aria-label={t('month')} />
      </div>
      <p className="muted small intro">{t('intro')}</p>
      <GeneralError text={errs.general} />
      <div className="panel">
        <div className="panel-head">
          <h2>{t('shifts')}</h2>
        </div>
        <table className="table">
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('start')}</th>
              <th>{t('end')}</th>
            </tr>
          </thead>
          <tbody>
            {shiftList.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td className="code">{s.start}</td>
                <td className="code">
                  {s.crossesMidnight ? `${t('nextDay')} ` : ''}
                  {s.end}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row wrap">
          <Field label={t('name')} error={errs.byField.name}>
            <input value={shiftForm.name} onChange={(ev) => setShiftForm({ ...shiftForm, name: ev.target.value })} />
          </Field>
          <Field label={t('start')} error={errs.byField.start}>
            <input type="time" value={shiftForm.start} onChange={(ev) => setShiftForm({ ...shiftForm, start: ev.target.value })} />
          </Field>
          <Field label={t('end')} error={errs.byField.end}>
            <input type="time" value={shiftForm.end} onChange={(ev) => setShiftForm({ ...shiftForm, end: ev.target.value })} />
          </Field>
          <button type="button" className="btn" disabled={addShift.isPending} onClick={() => addShift.mutate()}>
            {t('addShift')}
          </button>
        </div>
      </div>
      <div className="panel">
        <ListState query={roster} empty={<Empty title={t('empty')} hint={t('emptyHint')} />}>
          {() => (
            <table className="table" data-testid="roster-table">
              <thead>
                <tr>
                  <th>{t('day')}</th>
                  {shiftList.map((s) => (
                    <th key={s.id}>{s.name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {days.map((day) => (
                  <tr key={day}>
                    <td className="code">{day}</td>
                    {shiftList.map((s) => {
                      const c = cellOf(day, s.id);
                      const p = { primary: String(c?.primary?.id ?? ''), backup: String(c?.backup?.id ?? ''), leader: String(c?.leader?.id ?? '') };
                      return (
                        <td key={s.id}>
                          <button type="button" className="btn-link" onClick={() => setSlot({ day, shift: s, p, reason: '' })}>
                            {c ? `${t('primary')} ${c.primary?.name ?? ''}${c.backup ? ` · ${t('backup')} ${c.backup.name}` : ''}${c.leader ? ` · ${t('leader')} ${c.leader.name}` : ''}` : t('none')}
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </ListState>
      </div>
      {slot ? (
        <div className="panel" data-testid="roster-swap">
          <h2>{t('swapTitle', { day: slot.day, shift: slot.shift.name })}</h2>
          <div className="row wrap">
            {(['primary', 'backup', 'leader'] as const).map((k) => (
              <Field key={k} label={t(k)} error={errs.byField[`${k}UserId`]}>
                <PersonSelect users={k === 'leader' ? leaders : duty} value={slot.p[k]} label={t(k)} onChange={(v) => setSlot({ ...slot, p: { ...slot.p, [k]: v } })} />
              </Field>
            ))}
            <Field label={t('reason')} error={errs.byField.reason} hint={t('reasonHint')}>
              <input value={slot.reason} onChange={(ev) => setSlot({ ...slot, reason: ev.target.value })} />
            </Field>
          </div>
          <div className="row">
            <button type="button" className="btn btn-primary" disabled={swap.isPending || slot.p.primary === ''} onClick={() => swap.mutate(slot)}>
              {tc('save')}
            </button>
            <button type="button" className="btn" onClick={() => setSlot(null)}>
              {tc('cancel')}
            </button>
          </div>
        </div>
      ) : null}
      <div className="panel" data-testid="roster-fill">
        <h2>{t('fillTitle')}</h2>
        <p className="muted small">{t('fillHint')}</p>
        <table className="table">
          <thead>
            <tr>
              <th>{t('weekday')}</th>
              {shiftList.map((s) => (
                <th key={s.id}>{s.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {WEEKDAYS.map((wd) => (
              <tr key={wd}>
                <td>{t(`wd${wd}` as const)}</td>
                {shiftList.map((s) => {
                  const key = `${wd}/${s.id}`;
                  const p = pattern[key] ?? { primary: '', backup: '', leader: '' };
                  const set = (k: keyof Person, v: string) => setPattern({ ...pattern, [key]: { ...p, [k]: v } });
                  return (
                    <td key={s.id}>
                      <PersonSelect users={duty} value={p.primary} label={`${t(`wd${wd}` as const)} ${s.name} ${t('primary')}`} onChange={(v) => set('primary', v)} />
                      <PersonSelect users={duty} value={p.backup} label={`${t(`wd${wd}` as const)} ${s.name} ${t('backup')}`} onChange={(v) => set('backup', v)} />
                      <PersonSelect users={leaders} value={p.leader} label={`${t(`wd${wd}` as const)} ${s.name} ${t('leader')}`} onChange={(v) => set('leader', v)} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row wrap">
          <span>{t('workdayShifts')}</span>
          {shiftList.map((s) => kindBox('workday', s.id))}
          <span>{t('offdayShifts')}</span>
          {shiftList.map((s) => kindBox('offday', s.id))}
        </div>
        <button type="button" className="btn btn-primary" disabled={fill.isPending} onClick={() => fill.mutate()} data-testid="roster-fill-submit">
          {t('fill', { month })}
        </button>
      </div>
    </div>
  );
}
