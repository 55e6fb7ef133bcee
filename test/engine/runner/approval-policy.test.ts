import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../../src/engine/runner/index.js';
import type { RequestRecord } from '../../../src/store/types.js';

const requester = { id: 'UALICE', via: 'slack' as const };
const approver = { id: 'UBOB', via: 'slack' as const };
const now = Date.UTC(2026, 0, 1, 0, 30);

const request: RequestRecord = {
  id: 'req-1',
  version: 3,
  createdAt: Date.UTC(2026, 0, 1),
  updatedAt: Date.UTC(2026, 0, 1),
  vm: { uuid: 'a1564ec8-0000-4000-8000-000000000001', name: 'dstest' },
  source: 'node05',
  destination: 'node10',
  requester,
  options: { blockMigrate: false },
  state: 'awaiting_approval',
  decisions: [],
  expiresAt: Date.UTC(2026, 0, 1, 1),
};
const policy = { twoPersonRule: true };
const attempt = { kind: 'approve' as const, actor: approver, actorIsApprover: true, nowMs: now };

describe('evaluateDecision', () => {
  it('lets another approver approve', () => {
    expect(evaluateDecision(request, attempt, policy)).toEqual({ allowed: true });
  });

  it('refuses the requester approving their own request under the two-person rule', () => {
    expect(evaluateDecision(request, { ...attempt, actor: requester }, policy)).toMatchObject({
      allowed: false,
      code: 'own_request',
    });
    expect(evaluateDecision(request, { ...attempt, actor: requester }, { twoPersonRule: false })).toEqual({
      allowed: true,
    });
  });

  it('lets the requester withdraw (reject) their own request', () => {
    expect(evaluateDecision(request, { ...attempt, kind: 'reject', actor: requester }, policy)).toEqual({
      allowed: true,
    });
  });

  it("takes a terminal operator's confirmation of their own request as the approval", () => {
    const operator = { id: 'alice', via: 'cli' as const };
    const local = { ...request, requester: operator };
    expect(evaluateDecision(local, { ...attempt, actor: operator }, policy)).toEqual({ allowed: true });
  });

  it('refuses someone outside the approvers', () => {
    expect(evaluateDecision(request, { ...attempt, actorIsApprover: false }, policy)).toMatchObject({
      code: 'not_approver',
    });
  });

  it('refuses after expiry', () => {
    expect(evaluateDecision(request, { ...attempt, nowMs: request.expiresAt }, policy)).toMatchObject({
      code: 'expired',
    });
  });

  it('reports the decision that already stands instead of deciding twice', () => {
    const decided: RequestRecord = {
      ...request,
      state: 'approved',
      decisions: [{ kind: 'approved', actor: { ...approver, name: 'bob' }, at: now }],
    };
    expect(evaluateDecision(decided, { ...attempt, actor: { id: 'UCAROL', via: 'slack' } }, policy)).toEqual({
      allowed: false,
      code: 'already_decided',
      message: 'already approved by bob',
    });
  });
});
