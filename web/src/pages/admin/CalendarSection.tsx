import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, ListState } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { api, call, type Ok } from '../../lib/api.js';
import { shanghaiDay } from '../../lib/time.js';
import { Field, GeneralError, useFieldErrors } from './form.js';
import { mAdmin, mCalendar } from './messages.js';

type DayView = Ok<Awaited<ReturnType<(typeof api.calendar)[':day']['$get']>>>;

export function CalendarSection() {
  const t = useT(mCalendar);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const qc = useQueryClient();
  const [year, setYear] = useState(() => Number(shanghaiDay(new Date()).slice(0, 4)) + 1);
  const key = ['admin', 'calendar', year];
  const q = useQuery({ queryKey: key, queryFn: async () => (await call(api.calendar.$get({ query: { year: String(year) } }))).overrides });
  const [day, setDay] = useState('');
  const [isWorkday, setIsWorkday] = useState(false);
  const [note, setNote] = useState('');
  const [looked, setLooked] = useState<DayView | null>(null);
  const set = useMutation({
    mutationFn: () => call(api.calendar[':day'].$put({ param: { day }, json: { isWorkday, note } })),
    onSuccess: async (r) => {
      toast(tc('saved'));
      setLooked(r);
      setNote('');
      await qc.invalidateQueries({ queryKey: ['admin', 'calendar'] });
    },
  });
  const look = useMutation({ mutationFn: () => call(api.calendar[':day'].$get({ param: { day } })), onSuccess: setLooked });
  const remove = useMutation({
    mutationFn: (d: string) => call(api.calendar[':day'].$delete({ param: { day: d } })),
    onSuccess: async () => {
      toast(ta('deleted'));
      await qc.invalidateQueries({ queryKey: ['admin', 'calendar'] });
    },
  });
  const errs = useFieldErrors(set.error ?? look.error ?? remove.error, ['day', 'isWorkday', 'note']);
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('heading')}</h1>
      </div>
      <p className="muted small intro">{t('intro')}</p>
      <div className="grid-main-side">
        <div className="panel">
          <div className="panel-head">
            <h2>{t('year')}</h2>
            <input type="number" className="num-sm" min={2000} max={2100} value={year} onChange={(ev) => setYear(Number(ev.target.value) || year)} aria-label={t('year')} />
          </div>
          <ListState
            query={q}
            empty={<Empty title={t('emptyTitle', { y: year })} hint={t('emptyHint')} />}
          >
            {(data) => (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('day')}</th>
                  <th />
                  <th>{ta('note')}</th>
                  <th>{tc('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.map((o) => (
                  <tr key={o.day}>
                    <td className="code">{o.day}</td>
                    <td>{o.isWorkday ? <Tag tone="blue">{t('isWorkday')}</Tag> : <Tag tone="green">{t('holiday')}</Tag>}</td>
                    <td>{o.note || <span className="muted">—</span>}</td>
                    <td>
                      <button type="button" className="btn btn-sm btn-danger" disabled={remove.isPending} onClick={() => remove.mutate(o.day)}>
                        {t('remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            )}
          </ListState>
        </div>
        <div className="panel">
          <div className="panel-head">
            <h2>{t('addTitle')}</h2>
          </div>
          <form noValidate
            className="panel-body"
            onSubmit={(ev) => {
              ev.preventDefault();
              set.mutate();
            }}
          >
            <GeneralError text={errs.general} />
            <Field label={t('day')} error={errs.byField.day}>
              <input type="date" value={day} onChange={(ev) => setDay(ev.target.value)} required />
            </Field>
            <div className="seg">
              <label className={!isWorkday ? 'seg-opt on' : 'seg-opt'}>
                <input type="radio" checked={!isWorkday} onChange={() => setIsWorkday(false)} />
                {t('holiday')}
              </label>
              <label className={isWorkday ? 'seg-opt on' : 'seg-opt'}>
                <input type="radio" checked={isWorkday} onChange={() => setIsWorkday(true)} />
                {t('isWorkday')}
              </label>
            </div>
            <Field label={ta('note')} error={errs.byField.note}>
              <input value={note} onChange={(ev) => setNote(ev.target.value)} maxLength={200} />
            </Field>
            <div className="row">
              <button type="submit" className="btn btn-primary" disabled={!day || set.isPending}>
                {t('setDay')}
              </button>
              <button type="button" className="btn" disabled={!day || look.isPending} onClick={() => look.mutate()}>
                {t('check')}
              </button>
            </div>
            {looked ? (
              <p className="small">
                {t('checkResult', { d: looked.day, w: looked.isWorkday ? t('isWorkday') : t('holiday') })} · <span className="muted">{looked.overridden ? t('overridden') : t('builtin')}</span>
                {looked.note ? ` · ${looked.note}` : ''}
              </p>
            ) : null}
          </form>
        </div>
      </div>
    </div>
  );
}
