import { APPROVAL_STEP_KINDS, defaultApprovalSteps, type ApprovalStepKind } from '../../../../core/workflow/approval.js';
import { DEFAULT_FORWARD_FEEDBACK_DAYS, defaultCountersign } from '../../../../core/workflow/forwarding.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { FieldMsg, type PolicyRule } from './PolicyRuleCard.js';

// 回应规则 → one rule's 审批与会签: the approval steps a response needs (in the chain's fixed order;
// none ticked by hand = the level's default), whether the co-departments sign off (会签) first,
// and the working days a forwarding office waits for feedback after publication.

const m = defineMessages(
  {
    heading: '审批与会签',
    steps: '审批步骤',
    reviewer: '审核人审核',
    leader_in_charge: '分管领导审批',
    principal_leader: '主要领导审批',
    levelDefault: '（本级默认）',
    resetSteps: '恢复本级默认',
    countersign: '协办单位会签',
    csDefault: '按默认（较大及以上开启）：{state}',
    csOn: '开启',
    csOff: '关闭',
    feedback: '向转办单位反馈时限（发布后工作日）',
    feedbackPh: '默认 {n}',
  },
  {
    heading: 'Approval and sign-off',
    steps: 'Approval steps',
    reviewer: 'Reviewer',
    leader_in_charge: 'Leader in charge',
    principal_leader: 'Principal leader',
    levelDefault: ' (level default)',
    resetSteps: 'Back to the level default',
    countersign: 'Co-department sign-off',
    csDefault: 'Default (on for significant and above): {state}',
    csOn: 'On',
    csOff: 'Off',
    feedback: 'Feedback to the forwarding office (working days after publication)',
    feedbackPh: 'Default {n}',
  },
);

export function ApprovalSettings({ rule, index, errs, onChange }: { rule: PolicyRule; index: number; errs: Record<string, string>; onChange: (fn: (r: PolicyRule) => PolicyRule) => void }) {
  const t = useT(m);
  const p = `rules.${index}`;
  const own = rule.approvalSteps && rule.approvalSteps.length > 0 ? rule.approvalSteps : null;
  const steps: readonly ApprovalStepKind[] = own ?? defaultApprovalSteps(rule.level);
  const toggle = (kind: ApprovalStepKind) =>
    onChange((r) => {
      const current = r.approvalSteps && r.approvalSteps.length > 0 ? r.approvalSteps : defaultApprovalSteps(r.level);
      const next = APPROVAL_STEP_KINDS.filter((k) => (k === kind ? !current.includes(k) : current.includes(k)));
      return next.length > 0 ? { ...r, approvalSteps: next } : r; // a chain keeps at least one step
    });
  const csValue = rule.countersign === undefined ? 'default' : rule.countersign ? 'on' : 'off';
  const slug = `${rule.level}${rule.category ? `-${rule.category}` : ''}`;
  return (
    <div className="stack policy-approval" data-testid={`policy-approval-${slug}`}>
      <h3>{t('heading')}</h3>
      <div className="chips">
        <span className="small">{t('steps')}</span>
        {APPROVAL_STEP_KINDS.map((k) => (
          <label key={k} className={steps.includes(k) ? 'chip on' : 'chip'}>
            <input type="checkbox" checked={steps.includes(k)} onChange={() => toggle(k)} data-testid={`policy-step-${slug}-${k}`} />
            {t(k)}
          </label>
        ))}
        {own ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() =>
              onChange((r) => {
                const { approvalSteps: _drop, ...rest } = r;
                return rest;
              })
            }
          >
            {t('resetSteps')}
          </button>
        ) : (
          <span className="muted small">{t('levelDefault')}</span>
        )}
      </div>
      <FieldMsg errs={errs} path={`${p}.approvalSteps`} />
      <label className="field-inline small">
        {t('countersign')}
        <select
          value={csValue}
          data-testid={`policy-countersign-${slug}`}
          onChange={(ev) =>
            onChange((r) => {
              const { countersign: _drop, ...rest } = r;
              return ev.target.value === 'default' ? rest : { ...rest, countersign: ev.target.value === 'on' };
            })
          }
        >
          <option value="default">{t('csDefault', { state: defaultCountersign(rule.level) ? t('csOn') : t('csOff') })}</option>
          <option value="on">{t('csOn')}</option>
          <option value="off">{t('csOff')}</option>
        </select>
      </label>
      <label className="field-inline small">
        {t('feedback')}
        <input
          type="number"
          className="num-sm"
          min={0.5}
          max={30}
          step={0.5}
          value={rule.forwardFeedbackDays ?? ''}
          placeholder={t('feedbackPh', { n: DEFAULT_FORWARD_FEEDBACK_DAYS })}
          aria-invalid={errs[`${p}.forwardFeedbackDays`] ? true : undefined}
          data-testid={`policy-feedback-${slug}`}
          onChange={(ev) =>
            onChange((r) => {
              const { forwardFeedbackDays: _drop, ...rest } = r;
              const v = ev.target.value.trim();
              return v === '' ? rest : { ...rest, forwardFeedbackDays: Number(v) };
            })
          }
        />
      </label>
      <FieldMsg errs={errs} path={`${p}.forwardFeedbackDays`} />
    </div>
  );
}
