import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, RESPONSE_STATUSES, ROLES, type CaseStatus, type ResponseStatus, type Role } from '../vocabulary.js';
import {
  CASE_ACTIONS,
  caseActionsAllowed,
  caseTransition,
  CaseTransitionError,
  RESPONSE_ACTIONS,
  responseActionsAllowed,
  responseTransition,
  type CaseAction,
  type ResponseAction,
} from './state.js';

function attempt<T>(fn: () => T): T | CaseTransitionError {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CaseTransitionError) return e;
    throw e;
  }
}

describe('caseTransition', () => {
  // every status × action: the next status, or null for refused
  const table: Record<CaseStatus, Record<CaseAction, CaseStatus | null>> = {
    open: { publish: 'responded', close: null, reopen: null, change_level: 'open', reassign: 'open', add_feedback: 'open' },
    responded: { publish: 'responded', close: 'closed', reopen: null, change_level: 'responded', reassign: 'responded', add_feedback: 'responded' },
    closed: { publish: null, close: null, reopen: 'open', change_level: null, reassign: null, add_feedback: null },
  };
  for (const status of CASE_STATUSES) {
    for (const action of CASE_ACTIONS) {
      const expected = table[status][action];
      it(`${status} --${action}--> ${expected ?? 'refused'}`, () => {
        const out = attempt(() => caseTransition(status, action));
        if (expected === null) {
          expect(out).toBeInstanceOf(CaseTransitionError);
          expect((out as CaseTransitionError).reason).toBe('invalid_state');
        } else expect(out).toBe(expected);
      });
    }
  }

  it('errors carry a Chinese and an English message', () => {
    const e = attempt(() => caseTransition('closed', 'add_feedback')) as CaseTransitionError;
    expect(e.messageZh).toBe('舆情事件当前状态为「已办结」，不能添加跟踪反馈');
    expect(e.message).toBe("A case in status 'closed' does not allow 'add_feedback'");
    expect(e.name).toBe('CaseTransitionError');
  });

  it('caseActionsAllowed lists what caseTransition accepts', () => {
    expect(caseActionsAllowed('closed')).toEqual(['reopen']);
    expect(caseActionsAllowed('open')).toEqual(['publish', 'change_level', 'reassign', 'add_feedback']);
  });

  it('property: random action sequences stay in CASE_STATUSES; a closed case accepts only reopen; close needs a response first', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CASE_ACTIONS), { maxLength: 60 }), (actions) => {
        let status: CaseStatus = 'open';
        let everPublishedSinceOpen = false;
        for (const action of actions) {
          const out = attempt(() => caseTransition(status, action));
          if (status === 'closed') expect(out instanceof CaseTransitionError).toBe(action !== 'reopen');
          if (out instanceof CaseTransitionError) continue;
          expect(CASE_STATUSES).toContain(out);
          if (action === 'publish') everPublishedSinceOpen = true;
          if (out === 'closed') expect(everPublishedSinceOpen).toBe(true);
          if (action === 'reopen') expect(out).toBe('open');
          status = out;
        }
      }),
    );
  });
});

describe('responseTransition', () => {
  // status × action → [next status, roles allowed]; absent = refused in that status
  const table: Record<ResponseStatus, Partial<Record<ResponseAction, [ResponseStatus, Role[]]>>> = {
    draft: { edit: ['draft', ['handler']], submit: ['submitted', ['handler']] },
    submitted: { approve: ['approved', ['reviewer', 'leader']], return: ['returned', ['reviewer', 'leader']] },
    returned: { edit: ['draft', ['handler']], submit: ['submitted', ['handler']] },
    approved: { publish: ['published', ['handler', 'reviewer']] },
    published: {},
  };
  for (const status of RESPONSE_STATUSES) {
    for (const action of RESPONSE_ACTIONS) {
      const edge = table[status][action];
      it(`${status} --${action}--> ${edge ? `${edge[0]} (${edge[1].join(', ')})` : 'refused'}`, () => {
        for (const role of ROLES) {
          const out = attempt(() => responseTransition(status, action, role));
          if (!edge) {
            expect(out).toBeInstanceOf(CaseTransitionError);
            expect((out as CaseTransitionError).reason).toBe('invalid_state');
          } else if (edge[1].includes(role)) expect(out).toBe(edge[0]);
          else {
            expect(out).toBeInstanceOf(CaseTransitionError);
            expect((out as CaseTransitionError).reason).toBe('forbidden_role');
          }
        }
      });
    }
  }

  it('messages name the role that may act', () => {
    const e = attempt(() => responseTransition('submitted', 'approve', 'admin')) as CaseTransitionError;
    expect(e.messageZh).toBe('只有审核人或领导可以审核通过，系统管理员不能操作');
    expect(e.message).toBe("Only reviewer or leader may 'approve' a response; role 'admin' may not");
    const p = attempt(() => responseTransition('published', 'edit', 'handler')) as CaseTransitionError;
    expect(p.messageZh).toBe('回应已发布，不能再编辑');
  });

  it('responseActionsAllowed matches responseTransition', () => {
    for (const status of RESPONSE_STATUSES) {
      for (const role of ROLES) {
        const allowed = responseActionsAllowed(status, role);
        for (const action of RESPONSE_ACTIONS) {
          expect(allowed.includes(action)).toBe(!(attempt(() => responseTransition(status, action, role)) instanceof CaseTransitionError));
        }
      }
    }
    expect(responseActionsAllowed('submitted', 'reviewer')).toEqual(['approve', 'return']);
  });

  it('property: random (action, role) sequences stay in RESPONSE_STATUSES; only reviewers and leaders approve; published is final; nothing is published unapproved', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...RESPONSE_ACTIONS), fc.constantFrom(...ROLES)), { maxLength: 60 }), (steps) => {
        let status: ResponseStatus = 'draft';
        for (const [action, role] of steps) {
          const before = status;
          const out = attempt(() => responseTransition(status, action, role));
          if (before === 'published') expect(out).toBeInstanceOf(CaseTransitionError);
          if (out instanceof CaseTransitionError) continue;
          expect(RESPONSE_STATUSES).toContain(out);
          if (out === 'approved') expect(['reviewer', 'leader']).toContain(role);
          if (out === 'published') expect(before).toBe('approved');
          if (before === 'approved') expect(['handler', 'reviewer']).toContain(role);
          if (before === 'submitted') expect(['reviewer', 'leader']).toContain(role);
          status = out;
        }
      }),
    );
  });
});
