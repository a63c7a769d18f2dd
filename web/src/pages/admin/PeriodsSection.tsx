import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable, EditDelete } from '../../components/DataTable.js';
import { Empty, ListState } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { api, call, type Ok } from '../../lib/api.js';
import { fmtDateTime, shanghaiInput } from '../../lib/time.js';
import { BUSINESS_ISO_OFFSET } from '../../../../core/business-time.js';
import { Confirm } from './Confirm.js';
import { Field, FormModal, GeneralError, useFieldErrors } from './form.js';
import { mAdmin, mPeriods } from './messages.js';

type Period = Ok<Awaited<ReturnType<typeof api.periods.$get>>>['periods'][number];
const KEY = ['admin', 'periods'] as const;

/** ISO instant → "YYYY-MM-DDTHH:mm" in Asia/Shanghai, for datetime-local inputs. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  return shanghaiInput(iso);
}
/** "YYYY-MM-DDTHH:mm" (Asia/Shanghai) → ISO with offset; '' stays '' (the server names the field). */
export function fromLocalInput(v: string): string {
  return v ? `${v.length === 16 ? `${v}:00` : v}${BUSINESS_ISO_OFFSET}` : '';
}

export function PeriodsSection() {
  const t = useT(mPeriods);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: async () => (await call(api.periods.$get())).periods });
  const [editing, setEditing] = useState<Period | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Period | null>(null);
  const now = Date.now();
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="period-add">
          {t('add')}
        </button>
      </div>
      <p className="muted small intro">{t('intro')}</p>
      <div className="panel">
        <ListState
          query={q}
          empty={<Empty title={t('emptyTitle')} hint={t('emptyHint')} />}
        >
          {(data) => (
            <DataTable
              testid="periods-table"
              rows={data}
              rowKey={(p) => p.id}
              columns={[
                { key: 'name', header: t('name'), cell: (p) => p.name },
                { key: 'start', header: t('startsAt'), cellClass: 'nowrap', cell: (p) => fmtDateTime(p.startsAt) },
                { key: 'end', header: t('endsAt'), cellClass: 'nowrap', cell: (p) => fmtDateTime(p.endsAt) },
                { key: 'factor', header: t('factor'), className: 'num', cell: (p) => `× ${p.factor}` },
                { key: 'pollFactor', header: t('pollFactor'), className: 'num', cell: (p) => `× ${p.pollFactor}` },
                { key: 'state', cell: (p) => (now < Date.parse(p.startsAt) ? <Tag tone="blue">{t('upcoming')}</Tag> : now > Date.parse(p.endsAt) ? <Tag>{t('past')}</Tag> : <Tag tone="red">{t('current')}</Tag>) },
                {
                  key: 'actions',
                  header: tc('actions'),
                  cellClass: 'nowrap',
                  cell: (p) => <EditDelete onEdit={() => setEditing(p)} onDelete={() => setDeleting(p)} />,
                },
              ]}
            />
          )}
        </ListState>
      </div>
      {editing ? <PeriodForm period={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <Confirm
          title={tc('delete')}
          text={ta('confirmDelete', { name: deleting.name })}
          onConfirm={async () => {
            await call(api.periods[':id'].$delete({ param: { id: String(deleting.id) } }));
            toast(ta('deleted'));
            await qc.invalidateQueries({ queryKey: KEY });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}

function PeriodForm({ period, onClose }: { period: Period | null; onClose: () => void }) {
  const t = useT(mPeriods);
  const tc = useT(common);
  const ta = useT(mAdmin);
  const qc = useQueryClient();
  const [name, setName] = useState(period?.name ?? '');
  const [startsAt, setStartsAt] = useState(toLocalInput(period?.startsAt));
  const [endsAt, setEndsAt] = useState(toLocalInput(period?.endsAt));
  const [factor, setFactor] = useState(String(period?.factor ?? 0.5));
  const [pollFactor, setPollFactor] = useState(String(period?.pollFactor ?? 0.5));
  const save = useMutation({
    mutationFn: async () => {
      const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
      const json = { name, startsAt: fromLocalInput(startsAt), endsAt: fromLocalInput(endsAt), factor: num(factor), pollFactor: num(pollFactor) };
      return period ? call(api.periods[':id'].$patch({ param: { id: String(period.id) }, json })) : call(api.periods.$post({ json }));
    },
    onSuccess: async () => {
      toast(period ? tc('saved') : ta('created'));
      await qc.invalidateQueries({ queryKey: KEY });
      onClose();
    },
  });
  const errs = useFieldErrors(save.error, ['name', 'startsAt', 'endsAt', 'factor', 'pollFactor']);
  return (
    <FormModal id="period-form" title={period ? t('editTitle') : t('createTitle')} onClose={onClose} onSubmit={() => save.mutate()} pending={save.isPending}>
      <GeneralError text={errs.general} />
      <Field label={t('name')} error={errs.byField.name}>
        <input value={name} onChange={(ev) => setName(ev.target.value)} maxLength={100} required placeholder="春节假期" />
      </Field>
      <div className="form-grid">
        <Field label={t('startsAt')} error={errs.byField.startsAt}>
          <input type="datetime-local" value={startsAt} onChange={(ev) => setStartsAt(ev.target.value)} />
        </Field>
        <Field label={t('endsAt')} error={errs.byField.endsAt}>
          <input type="datetime-local" value={endsAt} onChange={(ev) => setEndsAt(ev.target.value)} />
        </Field>
      </div>
      <Field label={t('factor')} error={errs.byField.factor} hint={t('factorHint')}>
        <input type="number" min={0.05} max={1} step={0.05} value={factor} onChange={(ev) => setFactor(ev.target.value)} />
      </Field>
      <Field label={t('pollFactor')} error={errs.byField.pollFactor} hint={t('pollFactorHint')}>
        <input type="number" min={0.1} max={1} step={0.05} value={pollFactor} onChange={(ev) => setPollFactor(ev.target.value)} data-testid="period-poll-factor" />
      </Field>
    </FormModal>
  );
}
