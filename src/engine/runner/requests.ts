/**
 * Requests and their decisions: the approval policy (pure), creating a request (resolve the VM
 * once, record it, run the pre-flight), approving, rejecting, expiring, and cancelling a request or
 * its migration. Every decision is a compare-and-set in the store: the first final one wins.
 */
import { userMessage } from '../../errors.js';
import type {
  Actor,
  CheckSnapshot,
  Decision,
  MigrationOptions,
  MigrationRecord,
  RequestRecord,
  SlackRefs,
} from '../../store/types.js';
import { emitFor, type RunnerContext, transitionMigration } from './context.js';
import { assertTransition, isTerminal, type LifecycleState } from './transitions.js';

// Who may decide a request, as a pure function. Group membership is resolved by the caller
// (Slack user groups, or the local operator at a terminal) and passed in as `actorIsApprover`.

interface ApprovalPolicy {
  /** Config approval.twoPersonRule: the requester may not approve their own request. */
  twoPersonRule: boolean;
}

type DecisionKind = 'approve' | 'reject';

type PolicyVerdict =
  | { allowed: true }
  | {
      allowed: false;
      code: 'not_approver' | 'own_request' | 'expired' | 'already_decided' | 'not_awaiting';
      message: string;
    };

interface DecisionAttempt {
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

// The request half of the lifecycle: create and check a request, decide it (approve / reject with
// the two-person rule and expiry), expire stale ones. Every decision is one compare-and-set in the
// store, so the first final decision wins and a redelivered click reports it instead.

export interface NewRequest {
  /** The VM as the user typed it (name or UUID); resolved through nova before anything else. */
  vm: string;
  destination: string;
  requester: Actor;
  options?: Partial<MigrationOptions>;
  slack?: SlackRefs;
  /** One move of this drain. */
  drainId?: string;
}

export type DecisionOutcome =
  | { outcome: 'approved'; request: RequestRecord; migrationId: string }
  /** A hard-reboot request was approved: the runner reboots the VM (waitForReboot). */
  | { outcome: 'reboot_approved'; request: RequestRecord }
  /** The re-check at the decision found the reboot no longer needed: nothing was done. */
  | { outcome: 'not_needed'; request: RequestRecord; message: string }
  | { outcome: 'rejected'; request: RequestRecord }
  | {
      outcome: 'refused';
      code: Extract<PolicyVerdict, { allowed: false }>['code'] | 'not_found';
      message: string;
      request: RequestRecord | null;
      /** The decision that already stands (a second click, a redelivered action). */
      existing?: Decision;
    };

/** Moves a request to `to` inside a store change (pure helper for CAS callbacks). */
export function advanced(
  current: RequestRecord,
  to: LifecycleState,
  now: number,
  patch: Partial<RequestRecord> = {},
): RequestRecord {
  assertTransition(current.state, to, `request ${current.id}`);
  const next: RequestRecord = { ...current, ...patch, state: to as RequestRecord['state'] };
  if (['rejected', 'expired', 'cancelled', 'blocked', 'failed'].includes(to)) next.finishedAt = now;
  return next;
}

/**
 * Records a request and runs the pre-flight on it: ends `awaiting_approval` (go / warn) or
 * `blocked`, with the checklist snapshot either way.
 */
export async function createRequest(
  ctx: RunnerContext,
  input: NewRequest,
  migrationInProgress: (uuid: string) => boolean,
): Promise<RequestRecord> {
  const server = await ctx.cluster.showServer(input.vm);
  const options: MigrationOptions = {
    blockMigrate: input.options?.blockMigrate ?? false,
    ...(input.options?.acceptedDowntimeMs === undefined
      ? {}
      : { acceptedDowntimeMs: input.options.acceptedDowntimeMs }),
  };
  const now = ctx.clock.now();
  const created = await ctx.store.insertRequest(
    {
      vm: { uuid: server.uuid, name: server.name },
      flavor: {
        name: server.flavor.name,
        ramMiB: server.flavor.ramMiB ?? null,
        vcpus: server.flavor.vcpus ?? null,
      },
      source: server.host ?? 'unknown',
      destination: input.destination,
      requester: input.requester,
      options,
      state: 'requested',
      decisions: [],
      expiresAt: expiryFor(now, ctx.settings.approval.expiryMinutes),
      ...(input.slack ? { slack: input.slack } : {}),
      ...(input.drainId ? { drainId: input.drainId } : {}),
    },
    [
      {
        actor: input.requester,
        kind: 'request_created',
        vm: { uuid: server.uuid, name: server.name },
        detail: `to ${input.destination}`,
      },
    ],
  );
  await ctx.store.updateRequest(created.id, (current, at) => ({
    next: advanced(current, 'checking', at),
    value: undefined,
  }));
  const checks = await ctx
    .precheck({
      vmRef: server.uuid,
      destination: input.destination,
      options,
      migrationInProgress: migrationInProgress(server.uuid),
      server,
    })
    .catch((error: unknown): CheckSnapshot => unreachableChecks(ctx.clock.now(), error));
  return ctx.store.updateRequest(created.id, (current, at) => {
    const to = checks.verdict === 'block' ? 'blocked' : 'awaiting_approval';
    const next = advanced(current, to, at, { checks });
    return {
      next,
      value: next,
      audit: [{ actor: ctx.system, kind: `checks_${checks.verdict}`, vm: current.vm }],
    };
  });
}

/** Approve or reject `requestId` as `actor`; the outcome says what happened and why. */
export function decide(
  ctx: RunnerContext,
  requestId: string,
  kind: 'approve' | 'reject',
  actor: Actor,
  details: { actorIsApprover: boolean; reason?: string },
): Promise<DecisionOutcome> {
  if (!ctx.store.getRequest(requestId)) {
    return Promise.resolve({
      outcome: 'refused',
      code: 'not_found',
      message: `no request ${requestId}`,
      request: null,
    });
  }
  const migrationId = ctx.store.newId('mig');
  return ctx.store.updateRequest<DecisionOutcome>(requestId, (current, now) => {
    const verdict = evaluateDecision(
      current,
      { kind, actor, actorIsApprover: details.actorIsApprover, nowMs: now },
      ctx.settings.approval,
    );
    if (!verdict.allowed) {
      if (verdict.code === 'expired' && current.state === 'awaiting_approval') {
        const next = expire(current, now);
        return {
          next,
          value: { outcome: 'refused', code: verdict.code, message: verdict.message, request: next },
          audit: [{ actor: ctx.system, kind: 'request_expired', vm: current.vm }],
        };
      }
      const existing = current.decisions.at(-1);
      return {
        value: {
          outcome: 'refused',
          code: verdict.code,
          message: verdict.message,
          request: current,
          ...(existing ? { existing } : {}),
        },
        audit: [{ actor, kind: `${kind}_refused`, vm: current.vm, detail: verdict.message }],
      };
    }
    const decision: Decision = { kind: kind === 'approve' ? 'approved' : 'rejected', actor, at: now };
    if (details.reason !== undefined) decision.reason = details.reason;
    const decisions = [...current.decisions, decision];
    if (kind === 'reject') {
      const next = advanced(current, 'rejected', now, { decisions });
      return {
        next,
        value: { outcome: 'rejected', request: next },
        audit: [{ actor, kind: 'rejected', vm: current.vm }],
      };
    }
    if (current.kind === 'reboot') {
      const next = advanced(current, 'approved', now, { decisions });
      return {
        next,
        value: { outcome: 'reboot_approved', request: next },
        audit: [{ actor, kind: 'reboot_approved', vm: current.vm }],
      };
    }
    const next = advanced(current, 'approved', now, { decisions, migrationId });
    return {
      next,
      value: { outcome: 'approved', request: next, migrationId },
      audit: [{ actor, kind: 'approved', vm: current.vm, migrationId }],
      insertMigration: {
        id: migrationId,
        requestId,
        vm: current.vm,
        source: current.source,
        destination: current.destination,
        release: ctx.settings.release,
        options: current.options,
        state: 'approved',
        plan: [],
        journal: [{ step: 'state:approved', phase: 'done', at: now, actor }],
        ...(current.slack ? { slack: current.slack } : {}),
      },
    };
  });
}

/** Expires every request still awaiting approval past its expiresAt; returns them. */
export async function expireDue(ctx: RunnerContext): Promise<RequestRecord[]> {
  const now = ctx.clock.now();
  const due = ctx.store.listRequests((r) => r.state === 'awaiting_approval' && r.expiresAt <= now);
  const expired: RequestRecord[] = [];
  for (const r of due) {
    const next = await ctx.store.updateRequest(r.id, (current, at) => {
      if (current.state !== 'awaiting_approval' || current.expiresAt > at) return { value: null };
      const changed = expire(current, at);
      return {
        next: changed,
        value: changed,
        audit: [{ actor: ctx.system, kind: 'request_expired', vm: current.vm }],
      };
    });
    if (next) expired.push(next);
  }
  return expired;
}

/** A pre-flight that could not run blocks the request, saying why. */
function unreachableChecks(at: number, error: unknown): CheckSnapshot {
  return {
    verdict: 'block',
    at,
    checks: [
      {
        id: 'preflight',
        title: 'Pre-flight',
        status: 'block',
        explanation: `could not check: ${userMessage(error)}`,
      },
    ],
  };
}

function expire(current: RequestRecord, now: number): RequestRecord {
  return advanced(current, 'expired', now, {
    decisions: [...current.decisions, { kind: 'expired', actor: { id: 'livemig', via: 'system' }, at: now }],
  });
}

/** After a restart: requests caught in their checks fail (their facts are stale); returns their ids. */
export async function failInterruptedRequests(ctx: RunnerContext): Promise<string[]> {
  const interrupted = ctx.store.listRequests((r) => r.state === 'requested' || r.state === 'checking');
  for (const r of interrupted) {
    await ctx.store.updateRequest(r.id, (current, now) => ({
      next: advanced(current, 'failed', now),
      value: undefined,
      audit: [
        {
          actor: ctx.system,
          kind: 'request_interrupted',
          vm: current.vm,
          detail: 'livemig restarted during the checks',
        },
      ],
    }));
  }
  return interrupted.map((r) => r.id);
}

/** Marks a request finished when its migration is (so both archive together). */
export async function finishRequest(ctx: RunnerContext, m: MigrationRecord): Promise<void> {
  if (!isTerminal(m.state) || m.finishedAt === undefined) return;
  const finishedAt = m.finishedAt;
  await ctx.store.updateRequest(m.requestId, (current) =>
    current.finishedAt === undefined
      ? { next: { ...current, finishedAt }, value: undefined }
      : { value: undefined },
  );
}

// Cancelling by id: a request before approval is cancelled at once; a queued migration is
// cancelled without touching the cluster; a running one gets a cancel request that the driving
// runner acts on (abort, confirm the VM on its source). Stored on the record, so a restart
// honours it too.

export type CancelOutcome =
  | {
      outcome: 'cancelled';
      message: string;
      /** The migration, when a queued one was cancelled. */
      migration?: MigrationRecord;
    }
  /** The migration is in flight: the abort was requested and runs now. */
  | { outcome: 'cancelling'; migrationId: string; message: string }
  | { outcome: 'refused'; code: 'not_found' | 'already_finished'; message: string };

/** Cancels request or migration `id`; `isDriving` tells whether this runner already drives a migration. */
export async function cancelById(
  ctx: RunnerContext,
  id: string,
  actor: Actor,
  isDriving: (migrationId: string) => boolean,
): Promise<CancelOutcome> {
  const { store } = ctx;
  const request = store.getRequest(id) ?? store.listRequests((r) => r.migrationId === id)[0];
  if (!request) return { outcome: 'refused', code: 'not_found', message: `no request or migration ${id}` };
  if (!request.migrationId) {
    return store.updateRequest<CancelOutcome>(request.id, (current, now) => {
      if (isTerminal(current.state)) {
        return {
          value: {
            outcome: 'refused',
            code: 'already_finished',
            message: `the request is already ${current.state}`,
          },
        };
      }
      const decisions = [...current.decisions, { kind: 'cancelled' as const, actor, at: now }];
      return {
        next: advanced(current, 'cancelled', now, { decisions }),
        value: { outcome: 'cancelled', message: `request ${current.id} cancelled` },
        audit: [{ actor, kind: 'cancelled', vm: current.vm }],
      };
    });
  }
  const migrationId = request.migrationId;
  const m = store.getMigration(migrationId);
  if (!m || isTerminal(m.state)) {
    return {
      outcome: 'refused',
      code: 'already_finished',
      message: `the migration is already ${m?.state ?? 'gone'}`,
    };
  }
  if (m.state === 'approved' && !isDriving(migrationId)) {
    const moved = await transitionMigration(
      store,
      migrationId,
      'cancelled',
      actor,
      {},
      'cancelled while queued',
    );
    if (moved) {
      const message = 'cancelled while queued; nothing was changed';
      emitFor(ctx, moved.record, { kind: 'cancelled', actor: actor.name ?? actor.id, message });
      return {
        outcome: 'cancelled',
        message: `migration ${migrationId} ${message}`,
        migration: moved.record,
      };
    }
  }
  await store.updateMigration(migrationId, (current) =>
    current.cancelRequestedBy
      ? { value: undefined }
      : {
          next: { ...current, cancelRequestedBy: actor },
          value: undefined,
          audit: [{ actor, kind: 'cancel_requested', vm: current.vm }],
        },
  );
  return {
    outcome: 'cancelling',
    migrationId,
    message: `aborting migration ${migrationId}; the VM stays on ${m.source}`,
  };
}
