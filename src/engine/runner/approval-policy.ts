/**
 * Who may decide a request, as a pure function. Group membership is resolved by the caller
 * (Slack user groups, or the local operator at a terminal) and passed in as `actorIsApprover`.
 */
import type { Actor, RequestRecord } from '../../store/types.js';

export interface ApprovalPolicy {
  /** Config approval.twoPersonRule: the requester may not approve their own request. */
  twoPersonRule: boolean;
}

export type DecisionKind = 'approve' | 'reject';

export type PolicyVerdict =
  | { allowed: true }
  | {
      allowed: false;
      code: 'not_approver' | 'own_request' | 'expired' | 'already_decided' | 'not_awaiting';
      message: string;
    };

export interface DecisionAttempt {
  kind: DecisionKind;
  actor: Actor;
  actorIsApprover: boolean;
  nowMs: number;
}

/**
 * Whether `attempt` may decide `request` now. The first final decision wins; later ones are
 * refused. Takes only what it reads, so other approvals (the Slack hard-reboot card) share it.
 */
export function evaluateDecision(
  request: Pick<RequestRecord, 'decisions' | 'state' | 'expiresAt' | 'requester'>,
  attempt: DecisionAttempt,
  policy: ApprovalPolicy,
): PolicyVerdict {
  // Every decision is final: approved, rejected, expired and cancelled all end the voting.
  const final = request.decisions.at(-1);
  if (final) {
    return {
      allowed: false,
      code: 'already_decided',
      message: `already ${final.kind} by ${final.actor.name ?? final.actor.id}`,
    };
  }
  if (request.state !== 'awaiting_approval') {
    return {
      allowed: false,
      code: 'not_awaiting',
      message: `the request is ${request.state.replaceAll('_', ' ')}`,
    };
  }
  if (attempt.nowMs >= request.expiresAt) {
    return { allowed: false, code: 'expired', message: 'the request has expired; ask again' };
  }
  if (!attempt.actorIsApprover) {
    return { allowed: false, code: 'not_approver', message: 'you are not in the approvers list' };
  }
  // Rejecting your own request is withdrawing it, which the two-person rule does not forbid. At a
  // terminal the operator's confirmation is the approval: whoever holds livemig's SSH key there
  // could run nova directly, so a second person would add no control.
  const selfApproval = attempt.actor.id === request.requester.id && attempt.actor.via !== 'cli';
  if (attempt.kind === 'approve' && policy.twoPersonRule && selfApproval) {
    return {
      allowed: false,
      code: 'own_request',
      message: 'someone else must approve your request (two-person rule)',
    };
  }
  return { allowed: true };
}

/** When a request made at `createdAtMs` expires. */
export function expiryFor(createdAtMs: number, expiryMinutes: number): number {
  return createdAtMs + expiryMinutes * 60_000;
}
