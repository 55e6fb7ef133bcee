/**
 * Hard-reboot requests made from the Slack reboot warning. They need the same approval as a
 * migration (approvers, two-person rule, expiry) but are not migrations, so they live in the audit
 * log: one event when asked, one per decision. The first final decision wins (checked and written
 * without yielding, and the log is re-read after a restart); a redelivered click repeats nothing.
 */
import { evaluateDecision, expiryFor } from '../../engine/runner/index.js';
import type { Store } from '../../store/index.js';
import type { Actor, AuditEvent, Decision, VmRef } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';

export interface RebootRequest {
  id: string;
  vm: VmRef;
  requester: Actor;
  createdAt: number;
  expiresAt: number;
  /** The approval card. */
  card: { channel: string; ts: string };
  decision: Decision | null;
}

export type RebootDecisionOutcome =
  | { outcome: 'approved' | 'rejected'; request: RebootRequest }
  | { outcome: 'refused'; code: string; message: string; request: RebootRequest | null; repeated: boolean };

const kinds = {
  created: 'reboot_request_created',
  approved: 'reboot_request_approved',
  rejected: 'reboot_request_rejected',
  expired: 'reboot_request_expired',
} as const;

export class RebootRequests {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #expiryMinutes: number;
  readonly #twoPersonRule: boolean;
  /** Decisions taken in this process and not yet in the log (the write is asynchronous). */
  readonly #deciding = new Map<string, Decision>();

  constructor(options: { store: Store; clock: Clock; expiryMinutes: number; twoPersonRule: boolean }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#expiryMinutes = options.expiryMinutes;
    this.#twoPersonRule = options.twoPersonRule;
  }

  /** A fresh id for a request whose card is about to be posted. */
  newId(): string {
    return `rbt-${this.#store.newId('evt').replace(/^evt-/, '')}`;
  }

  /** When a request made now expires (the card shows it before the request is recorded). */
  expiryFromNow(): number {
    return expiryFor(this.#clock.now(), this.#expiryMinutes);
  }

  /** Records a request once its card is posted, with the expiry the card shows. */
  async create(
    id: string,
    vm: VmRef,
    requester: Actor,
    card: { channel: string; ts: string },
    expiresAt: number,
  ): Promise<RebootRequest> {
    const createdAt = this.#clock.now();
    await this.#store.audit([
      {
        actor: requester,
        kind: kinds.created,
        requestId: id,
        vm,
        detail: JSON.stringify({ ...card, expiresAt }),
      },
    ]);
    return { id, vm, requester, createdAt, expiresAt, card, decision: null };
  }

  get(id: string): RebootRequest | null {
    const events = this.#store.listAudit((e) => e.requestId === id && e.kind.startsWith('reboot_request_'));
    const created = events.find((e) => e.kind === kinds.created);
    if (!created?.vm) return null;
    const detail = parseCard(created.detail);
    if (!detail) return null;
    const decided = events.find((e) => e.kind !== kinds.created);
    const decision = this.#deciding.get(id) ?? (decided ? decisionOf(decided) : null);
    return {
      id,
      vm: created.vm,
      requester: created.actor,
      createdAt: created.at,
      expiresAt: detail.expiresAt,
      card: { channel: detail.channel, ts: detail.ts },
      decision,
    };
  }

  /** Approve or reject as `actor`, under the same policy as migration requests. */
  async decide(
    id: string,
    kind: 'approve' | 'reject',
    actor: Actor,
    details: { actorIsApprover: boolean; reason?: string },
  ): Promise<RebootDecisionOutcome> {
    const request = this.get(id);
    if (!request)
      return {
        outcome: 'refused',
        code: 'not_found',
        message: `no reboot request ${id}`,
        request: null,
        repeated: false,
      };
    const now = this.#clock.now();
    const verdict = evaluateDecision(
      { ...request, state: 'awaiting_approval', decisions: request.decision ? [request.decision] : [] },
      { kind, actor, actorIsApprover: details.actorIsApprover, nowMs: now },
      { twoPersonRule: this.#twoPersonRule },
    );
    if (!verdict.allowed) {
      const repeated = request.decision?.actor.id === actor.id && verdict.code === 'already_decided';
      if (verdict.code === 'expired' && !request.decision)
        await this.#record(request, { kind: 'expired', actor: systemActor, at: now });
      return {
        outcome: 'refused',
        code: verdict.code,
        message: verdict.message,
        request: this.get(id),
        repeated,
      };
    }
    const decision: Decision = { kind: kind === 'approve' ? 'approved' : 'rejected', actor, at: now };
    if (details.reason !== undefined) decision.reason = details.reason;
    await this.#record(request, decision);
    return { outcome: decision.kind as 'approved' | 'rejected', request: { ...request, decision } };
  }

  /** Expires undecided requests past their time; returns them (to update their cards). */
  async expireDue(): Promise<RebootRequest[]> {
    const now = this.#clock.now();
    const ids = new Set(this.#store.listAudit((e) => e.kind === kinds.created).map((e) => e.requestId!));
    const expired: RebootRequest[] = [];
    for (const id of ids) {
      const request = this.get(id);
      if (!request || request.decision || request.expiresAt > now) continue;
      const decision: Decision = { kind: 'expired', actor: systemActor, at: now };
      await this.#record(request, decision);
      expired.push({ ...request, decision });
    }
    return expired;
  }

  async #record(request: RebootRequest, decision: Decision): Promise<void> {
    // Set before the first await: a second click in the same process sees the decision at once.
    this.#deciding.set(request.id, decision);
    await this.#store.audit([
      {
        actor: decision.actor,
        kind: kinds[decision.kind as 'approved' | 'rejected' | 'expired'],
        requestId: request.id,
        vm: request.vm,
        ...(decision.reason === undefined ? {} : { detail: decision.reason }),
      },
    ]);
    this.#deciding.delete(request.id);
  }
}

const systemActor: Actor = { id: 'livemig', via: 'system' };

function decisionOf(event: AuditEvent): Decision {
  const kind = event.kind.replace('reboot_request_', '') as Decision['kind'];
  return {
    kind,
    actor: event.actor,
    at: event.at,
    ...(event.detail === undefined ? {} : { reason: event.detail }),
  };
}

function parseCard(detail: string | undefined): { channel: string; ts: string; expiresAt: number } | null {
  try {
    const value = JSON.parse(detail ?? '') as Record<string, unknown>;
    if (
      typeof value.channel !== 'string' ||
      typeof value.ts !== 'string' ||
      typeof value.expiresAt !== 'number'
    )
      return null;
    return { channel: value.channel, ts: value.ts, expiresAt: value.expiresAt };
  } catch {
    return null;
  }
}
