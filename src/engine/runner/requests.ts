/**
 * The request half of the lifecycle: create and check a request, decide it (approve / reject with
 * the two-person rule and expiry), expire stale ones. Every decision is one compare-and-set in the
 * store, so the first final decision wins and a redelivered click reports it instead.
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
import { evaluateDecision, expiryFor, type PolicyVerdict } from './approval-policy.js';
import type { RunnerContext } from './context.js';
import { assertTransition, isTerminal, type LifecycleState } from './transitions.js';

export interface NewRequest {
  /** The VM as the user typed it (name or UUID); resolved through nova before anything else. */
  vm: string;
  destination: string;
  requester: Actor;
  options?: Partial<MigrationOptions>;
  slack?: SlackRefs;
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
  if (['rejected', 'expired', 'cancelled', 'failed'].includes(to)) next.finishedAt = now;
  return next;
}

/**
 * Records a request and runs the pre-flight on it: ends `awaiting_approval` (go / warn) or
 * `failed` (block), with the checklist snapshot either way.
 */
export async function createRequest(
  ctx: RunnerContext,
  input: NewRequest,
  migrationInProgress: (uuid: string) => boolean,
): Promise<RequestRecord> {
  const server = await ctx.cluster.showServer(input.vm);
  const options: MigrationOptions = {
    blockMigrate: input.options?.blockMigrate ?? false,
    allowForceComplete: input.options?.allowForceComplete ?? false,
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
    const to = checks.verdict === 'block' ? 'failed' : 'awaiting_approval';
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
