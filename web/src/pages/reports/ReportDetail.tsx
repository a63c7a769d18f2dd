import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { hoursText, percentText } from '../../../../core/reports/figures.js';
import { Modal } from '../../components/Modal.js';
import { ErrorBox, FormError, Loading } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import { detailKey, figuresOf, REPORTS_KEY, type Report, type ReportFigures } from './data.js';
import { m } from './messages.js';
import { StatusTag, useKindLabel, usePeriodText } from './ReportList.js';

// The selected notice: header and actions, the stored figures as a preview, and the two free-text
// parts (editable by reviewer / admin while draft). Issuing asks first: afterwards nothing changes.

export function ReportDetail({ id }: { id: string }) {
  const q = useQuery({ queryKey: detailKey(id), queryFn: () => call(api.reports[':id'].$get({ param: { id } })) });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  return <ReportView report={q.data} />;
}

function ReportView({ report: r }: { report: Report }) {
  const t = useT(m);
  const kindLabel = useKindLabel();
  const periodText = usePeriodText();
  const { can } = useSession();
  const [confirming, setConfirming] = useState(false);
  const draft = r.status === 'draft';
  const figures = figuresOf(r);
  return (
    <div className="report-detail" data-testid="report-detail" data-report-id={r.id} data-status={r.status}>
      <header className="panel-head report-detail-head">
        <div className="report-detail-titles">
          <h2 data-testid="report-title">{r.title}</h2>
          <div className="row small">
            <Tag tone="blue">{kindLabel(r.kind)}</Tag>
            <StatusTag status={r.status} />
            {r.serial ? <span className="tag" data-testid="report-serial">{r.serial}</span> : null}
            <span className="muted">{periodText(r)}</span>
          </div>
          <div className="muted small">
            {t('generatedAt', { t: fmtDateTime(r.generatedAt) })} · {r.generatedBy ? t('generatedBy', { who: r.generatedBy }) : t('bySystem')}
            {r.issuedAt ? ` · ${t('issuedAtBy', { t: fmtDateTime(r.issuedAt), who: r.issuedBy ?? '—' })}` : ''}
          </div>
        </div>
        <span className="spacer" />
        <a className="btn" href={r.fileUrl} download={r.fileName} title={t('downloadTitle')} data-testid="report-download">
          {t('downloadDoc')}
        </a>
        {draft && can('reviewer', 'leader', 'admin') ? (
          <button type="button" className="btn btn-primary" onClick={() => setConfirming(true)} data-testid="report-issue">
            {t('issue')}
          </button>
        ) : null}
      </header>
      <div className="panel-body stack">
        {draft ? (
          can('reviewer', 'admin') ? null : <p className="notice">{t('readOnlyDraft')}</p>
        ) : (
          <p className="notice report-issued-note" data-testid="report-issued-note">
            {t('issuedNote', { t: fmtDateTime(r.issuedAt), who: r.issuedBy ?? '—' })}
          </p>
        )}
        {figures ? <Figures f={figures} /> : null}
        <ReportTexts key={`${r.id}:${r.updatedAt}`} r={r} editable={draft && can('reviewer', 'admin')} />
      </div>
      {confirming ? <IssueDialog r={r} onClose={() => setConfirming(false)} /> : null}
    </div>
  );
}

function Kpi({ label, value, sub, testId, tone }: { label: string; value: string; sub?: string; testId: string; tone?: 'red' | 'green' }) {
  return (
    <div className={`kpi report-kpi${tone ? ` report-kpi-${tone}` : ''}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={testId}>
        {value}
      </div>
      {sub ? <div className="muted small">{sub}</div> : null}
    </div>
  );
}

function Figures({ f }: { f: ReportFigures }) {
  const t = useT(m);
  const label = useLabel();
  const o = f.overview;
  return (
    <>
      <section className="report-section">
        <div className="report-section-head">
          <h3>{t('overviewTitle')}</h3>
          <span className="muted small">
            {t('asOf', { t: fmtDateTime(f.asOf) })} · {t('figuresNote')}
          </span>
        </div>
        <div className="kpis report-kpis">
          <Kpi label={t('itemsMonitored')} value={String(o.itemsMonitored)} testId="fig-itemsMonitored" />
          <Kpi label={t('alerts')} value={String(o.alerts)} testId="fig-alerts" />
          <Kpi label={t('casesOpened')} value={String(o.casesOpened)} sub={`${t('majorEvents')} ${o.majorEvents}`} testId="fig-casesOpened" />
          <Kpi label={t('responded')} value={String(o.responded)} testId="fig-responded" />
          <Kpi label={t('onTimeRate')} value={percentText(o.onTimeRate)} sub={t('onTimeSub', { onTime: o.onTime, judged: o.judged })} testId="fig-onTimeRate" tone="green" />
          <Kpi label={t('overdue')} value={String(o.overdue)} sub={t('overdueSub', { late: o.late, open: o.openOverdue })} testId="fig-overdue" tone={o.overdue > 0 ? 'red' : undefined} />
          <Kpi
            label={t('avgHours')}
            value={hoursText(o.averageResponseHours)}
            sub={t('hoursSub', { median: hoursText(o.medianResponseHours), p90: hoursText(o.p90ResponseHours) })}
            testId="fig-averageResponseHours"
          />
        </div>
      </section>

      <section className="report-section">
        <div className="report-section-head">
          <h3>{t('deptTitle')}</h3>
        </div>
        {f.departments.length === 0 ? (
          <p className="muted">{t('noDepartments')}</p>
        ) : (
          <div className="table-wrap report-table">
            <table className="table" data-testid="report-departments">
              <thead>
                <tr>
                  <th className="num">{t('rank')}</th>
                  <th>{t('department')}</th>
                  <th className="num">{t('received')}</th>
                  <th className="num">{t('responded')}</th>
                  <th className="num">{t('judged')}</th>
                  <th className="num">{t('onTime')}</th>
                  <th className="num">{t('overdue')}</th>
                  <th className="num">{t('onTimeRate')}</th>
                  <th className="num">{t('avgHoursCol')}</th>
                </tr>
              </thead>
              <tbody>
                {f.departments.map((d) => (
                  <tr key={d.id} data-testid="report-department-row" className={d.overdue > 0 ? 'overdue' : undefined}>
                    <td className="num">{d.rank}</td>
                    <td>{d.name}</td>
                    <td className="num">{d.received}</td>
                    <td className="num">{d.responded}</td>
                    <td className="num">{d.judged}</td>
                    <td className="num">{d.onTime}</td>
                    <td className="num">{d.overdue}</td>
                    <td className="num">{percentText(d.onTimeRate)}</td>
                    <td className="num">{hoursText(d.averageResponseHours)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="report-section">
        <div className="report-section-head">
          <h3>{t('overdueTitle')}</h3>
          {f.overdueCases.length > 0 ? <Tag tone="red">{f.overdueCases.length}</Tag> : null}
        </div>
        {f.overdueCases.length === 0 ? (
          <p className="muted">{t('noOverdue')}</p>
        ) : (
          <div className="table-wrap report-table report-overdue">
            <table className="table" data-testid="report-overdue">
              <thead>
                <tr>
                  <th>{t('caseNumber')}</th>
                  <th>{t('caseTitle')}</th>
                  <th>{t('department')}</th>
                  <th>{t('obligation')}</th>
                  <th>{t('dueAt')}</th>
                  <th>{t('lateStatus')}</th>
                  <th className="num">{t('hoursLate')}</th>
                </tr>
              </thead>
              <tbody>
                {f.overdueCases.map((o, i) => (
                  <tr key={`${o.caseId}:${o.kind}:${i}`} data-testid="report-overdue-row">
                    <td className="nowrap">
                      <Link href={`/cases/${o.caseId}`}>{o.caseNumber}</Link>
                    </td>
                    <td className="report-case-title">{o.caseTitle}</td>
                    <td className="nowrap">{o.department.name}</td>
                    <td className="nowrap">{label('obligationKind', o.kind)}</td>
                    <td className="nowrap">{fmtDateTime(o.dueAt)}</td>
                    <td className="nowrap">{o.status === 'open' ? <Tag tone="red">{t('openLate')}</Tag> : <Tag tone="amber">{t('metLate')}</Tag>}</td>
                    <td className="num">{o.hoursLate}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function ReportTexts({ r, editable }: { r: Report; editable: boolean }) {
  const t = useT(m);
  const tc = useT(common);
  const qc = useQueryClient();
  const [notable, setNotable] = useState(r.notable);
  const [requirements, setRequirements] = useState(r.requirements);
  const dirty = notable !== r.notable || requirements !== r.requirements;
  const save = useMutation({
    mutationFn: () => call(api.reports[':id'].$patch({ param: { id: r.id }, json: { notable, requirements } })),
    onSuccess: (next) => {
      qc.setQueryData(detailKey(r.id), next);
      void qc.invalidateQueries({ queryKey: REPORTS_KEY });
      toast(t('saved'));
    },
  });
  const part = (key: 'notable' | 'requirements', value: string, set: (v: string) => void) => (
    <section className="report-section">
      <div className="report-section-head">
        <h3>{t(key)}</h3>
        {editable ? <span className="muted small">{t('textHint')}</span> : null}
      </div>
      {editable ? (
        <textarea className="report-textarea" value={value} onChange={(e) => set(e.target.value)} rows={5} maxLength={20_000} aria-label={t(key)} data-testid={`report-${key}`} />
      ) : (
        <div className="report-text" data-testid={`report-${key}-text`}>
          {value.trim() ? value : t('emptyText')}
        </div>
      )}
    </section>
  );
  return (
    <>
      {part('notable', notable, setNotable)}
      {part('requirements', requirements, setRequirements)}
      {editable ? (
        <div className="row report-save-row">
          <button type="button" className="btn btn-primary" disabled={!dirty || save.isPending} onClick={() => save.mutate()} data-testid="report-save">
            {save.isPending ? tc('saving') : tc('save')}
          </button>
          {dirty ? <span className="muted small">{t('unsaved')}</span> : null}
          <FormError error={save.error} />
        </div>
      ) : null}
    </>
  );
}

function IssueDialog({ r, onClose }: { r: Report; onClose: () => void }) {
  const t = useT(m);
  const tc = useT(common);
  const qc = useQueryClient();
  const issue = useMutation({
    mutationFn: () => call(api.reports[':id'].issue.$post({ param: { id: r.id } })),
    onSuccess: (next) => {
      qc.setQueryData(detailKey(r.id), next);
      void qc.invalidateQueries({ queryKey: REPORTS_KEY });
      toast(t('issuedToast'));
      onClose();
    },
  });
  return (
    <Modal
      title={t('issueTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={issue.isPending} onClick={() => issue.mutate()} data-testid="confirm-ok">
            {t('issue')}
          </button>
        </>
      }
    >
      <p>{t('issueConfirm', { title: r.title })}</p>
      <FormError error={issue.error} />
    </Modal>
  );
}
