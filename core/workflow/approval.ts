// 审批链 (issue 15 §2): the approval steps a response needs before publication, in order. Pure.
// The policy names them per level (and category); a rule without steps takes its level's default:
//   一般 general → 审核人; 较大 significant → 审核人 + 分管领导;
//   重大 major / 特别重大 especially_major → 审核人 + 分管领导 + 主要领导.
// Each step approves (the next step's people are asked) or returns (back to the drafter); the
// response is approved (publishable) only after the last step. The chain is fixed at submission.
import type { Category, Level, Role } from '../vocabulary.js';
import type { PolicyRule } from './types.js';
import { policyFor } from './policy.js';

export const APPROVAL_STEP_KINDS = ['reviewer', 'leader_in_charge', 'principal_leader'] as const;
export type ApprovalStepKind = (typeof APPROVAL_STEP_KINDS)[number];

export const APPROVAL_STEP_LABELS: Record<ApprovalStepKind, string> = {
  reviewer: '审核人审核',
  leader_in_charge: '分管领导审批',
  principal_leader: '主要领导审批',
};

export const APPROVAL_STEP_LABELS_EN: Record<ApprovalStepKind, string> = {
  reviewer: 'reviewer',
  leader_in_charge: 'leader in charge',
  principal_leader: 'principal leader',
};

/** The default chain of a level. */
export function defaultApprovalSteps(level: Level): ApprovalStepKind[] {
  if (level === 'general') return ['reviewer'];
  if (level === 'significant') return ['reviewer', 'leader_in_charge'];
  return ['reviewer', 'leader_in_charge', 'principal_leader'];
}

/** The chain a response of a case at this level and category needs (the rule's, else its level's default). */
export function approvalStepsFor(rules: readonly PolicyRule[], level: Level, category: Category): ApprovalStepKind[] {
  const steps = policyFor(rules, level, category).approvalSteps;
  return steps && steps.length > 0 ? [...steps] : defaultApprovalSteps(level);
}

/** Whether a user may take this step: reviewers the 审核 step, leaders of the matching rank the leaders' steps. */
export function mayTakeStep(kind: ApprovalStepKind, user: { role: Role; leaderRank: 'in_charge' | 'principal' | null }): boolean {
  if (kind === 'reviewer') return user.role === 'reviewer';
  if (kind === 'leader_in_charge') return user.role === 'leader' && user.leaderRank === 'in_charge';
  return user.role === 'leader' && user.leaderRank === 'principal';
}

/** After an approval at `step` of `chain`: the next step's index, or null when the chain is complete. */
export function nextApprovalStep(chain: readonly ApprovalStepKind[], step: number): number | null {
  return step + 1 < chain.length ? step + 1 : null;
}
