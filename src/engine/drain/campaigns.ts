/**
 * Rolling maintenance (`maintenance HOST...`): one approval for the campaign, then each host in
 * turn is drained (a drain of drains.ts, planned when its turn comes), waits empty and disabled
 * until someone presses Done after the maintenance, is undrained (with its VMs brought back when
 * asked) and the next host starts. Every step is a compare-and-set on the campaign's record and
 * `advance` only ever reads the record to decide what is next, so a restarted livemig carries the
 * campaign on from where it was.
 */
import { randomBytes } from 'node:crypto';
import { serviceEnable } from '../../cluster/index.js';
import { LivemigError } from '../../errors.js';
import type { Store } from '../../store/index.js';
import type { Actor, CampaignHost, CampaignRecord, DrainRecord, SlackRefs } from '../../store/types.js';
import { systemActor } from '../runner/index.js';
import { approverOf, type DrainSpec, decisionRefusal, expiredNow, isDrainFinished } from './drain-record.js';
import type { Drains } from './drains.js';
import type { DrainContext } from './gather.js';

export interface CampaignSpec {
  hosts: string[];
  to?: string[] | undefined;
  acceptedDowntimeMs?: number | undefined;
  continueOnFailure: boolean;
  /** Done also brings back the VMs the host's drain moved away. */
  returnVms: boolean;
}

export interface CampaignEvent {
  kind:
    | 'approved'
    | 'rejected'
    | 'expired'
    /** A host's drain was created and approved (its plan is in the drain). */
    | 'host_started'
    /** The host is empty (of movable VMs) and disabled: do the maintenance, then Done. */
    | 'host_ready'
    /** Done was pressed: the host is enabled again (and its VMs are coming back when asked). */
    | 'host_returning'
    | 'host_done'
    | 'finished'
    | 'cancelled';
  campaign: CampaignRecord;
  host?: CampaignHost;
  drain?: DrainRecord;
  actor?: Actor;
}

export type CampaignDecision =
  | { outcome: 'approved' | 'rejected' | 'cancelled' | 'done'; campaign: CampaignRecord; message: string }
  | { outcome: 'refused'; code: string; message: string; campaign: CampaignRecord | null };

export interface CampaignsDeps {
  context: DrainContext;
  store: Store;
  drains: Drains;
}

export class Campaigns {
  readonly #deps: CampaignsDeps;
  readonly #listeners = new Set<(event: CampaignEvent) => void>();
  /** One advance at a time per campaign: events and clicks may ask at once. */
  readonly #advancing = new Map<string, Promise<void>>();

  constructor(deps: CampaignsDeps) {
    this.#deps = deps;
    // A host's drain (or its return) that ends moves its campaign on.
    deps.drains.subscribe((event) => {
      const id = event.drain.campaignId;
      if (id && isDrainFinished(event.drain.state)) this.#advance(id);
    });
  }

  /** Records where a surface posted about it (a restarted bot re-attaches to the same messages). */
  attachSlack(id: string, refs: SlackRefs): Promise<CampaignRecord> {
    return this.#deps.store.updateCampaign(id, (current) => {
      const next = { ...current, slack: { ...current.slack, ...refs } };
      return { next, value: next };
    });
  }

  subscribe(listener: (event: CampaignEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(id: string): CampaignRecord | undefined {
    return this.#deps.store.getCampaign(id);
  }

  list(filter?: (c: CampaignRecord) => boolean): CampaignRecord[] {
    return this.#deps.store.listCampaigns(filter);
  }

  /** Records the campaign awaiting approval, with what a drain of each host would do now. */
  async create(spec: CampaignSpec, requester: Actor): Promise<CampaignRecord> {
    const { context, store, drains } = this.#deps;
    const hypervisors = context.config.cluster.hypervisors.map((h) => h.name);
    const unknown = spec.hosts.filter((host) => !hypervisors.includes(host));
    if (unknown.length > 0) {
      throw new LivemigError('unknown_host', `${unknown.join(', ')}: not a hypervisor of the inventory`, {
        hint: `Hypervisors: ${hypervisors.join(', ')}.`,
      });
    }
    const hosts: CampaignHost[] = [];
    for (const host of spec.hosts) {
      // Each host is planned again when its turn comes; this is what the approver reads now.
      const plan = await drains.plan(drainSpecOf(spec, host));
      const stays = plan.unmovable.map((u) => `${u.vm.name}: ${u.explanation}`);
      hosts.push({
        host,
        step: 'waiting',
        message: `${plan.assignments.length} VM(s) move, ${plan.unmovable.length} stay${stays.length > 0 ? ` (${stays.join('; ')})` : ''}`,
      });
    }
    const now = context.clock.now();
    return store.insertCampaign(
      {
        id: `mnt-${randomBytes(4).toString('hex')}`,
        requester,
        options: {
          ...(spec.to ? { to: spec.to } : {}),
          ...(spec.acceptedDowntimeMs === undefined ? {} : { acceptedDowntimeMs: spec.acceptedDowntimeMs }),
          continueOnFailure: spec.continueOnFailure,
          returnVms: spec.returnVms,
        },
        state: 'awaiting_approval',
        decisions: [],
        expiresAt: now + context.config.approval.expiryMinutes * 60_000,
        hosts,
      },
      [{ actor: requester, kind: 'campaign_created', detail: spec.hosts.join(', ') }],
    );
  }

  /** Approve (two-person rule, expiry, one compare-and-set) and start the first host. */
  async approve(id: string, actor: Actor, details: { actorIsApprover: boolean }): Promise<CampaignDecision> {
    const decided = await this.#decide(id, actor, 'approve', details.actorIsApprover);
    if (decided.outcome === 'approved') this.#advance(id);
    return decided;
  }

  reject(
    id: string,
    actor: Actor,
    details: { actorIsApprover: boolean; reason?: string },
  ): Promise<CampaignDecision> {
    return this.#decide(id, actor, 'reject', details.actorIsApprover, details.reason);
  }

  /**
   * Done on a host waiting for its maintenance: enables it again (brings its VMs back when the
   * campaign says so) and goes on with the next host.
   */
  async done(id: string, actor: Actor): Promise<CampaignDecision> {
    const campaign = await this.#deps.store.updateCampaign(id, (current, now) => {
      const host = current.hosts.find((h) => h.step === 'awaiting_done');
      if (current.state !== 'running' || !host) return { value: null };
      const next = withHost(current, host.host, { step: 'returning', doneBy: actor, doneAt: now });
      return { next, value: next, audit: [{ actor, kind: 'campaign_host_done', detail: host.host }] };
    });
    if (campaign === null) {
      const now = this.get(id);
      return {
        outcome: 'refused',
        code: 'not_waiting',
        message: `Nothing is waiting for Done in ${id}.`,
        campaign: now ?? null,
      };
    }
    const host = campaign.hosts.find((h) => h.step === 'returning')!;
    this.#emit({ kind: 'host_returning', campaign, host, actor });
    this.#advance(id);
    return { outcome: 'done', campaign, message: `${host.host}: Done by ${actor.name ?? actor.id}.` };
  }

  /** Cancels the campaign; a host's running drain is cancelled as a drain's Cancel does. */
  async cancel(id: string, actor: Actor): Promise<CampaignDecision> {
    const campaign = await this.#deps.store.updateCampaign(id, (current, now) => {
      if (current.state !== 'running' && current.state !== 'awaiting_approval') return { value: null };
      const next: CampaignRecord = {
        ...current,
        state: 'cancelled',
        finishedAt: now,
        decisions: [...current.decisions, { kind: 'cancelled', actor, at: now }],
        hosts: current.hosts.map((h) => (h.step === 'done' ? h : { ...h, step: 'cancelled' })),
        message: `cancelled by ${actor.name ?? actor.id}`,
      };
      return { next, value: next, audit: [{ actor, kind: 'campaign_cancelled' }] };
    });
    if (campaign === null) {
      return {
        outcome: 'refused',
        code: 'finished',
        message: `Campaign ${id} has ended already.`,
        campaign: this.get(id) ?? null,
      };
    }
    for (const host of campaign.hosts) {
      for (const drainId of [host.drainId, host.returnId]) {
        const drain = drainId ? this.#deps.drains.get(drainId) : undefined;
        if (drain && !isDrainFinished(drain.state)) await this.#deps.drains.cancel(drain.id, actor);
      }
    }
    this.#emit({ kind: 'cancelled', campaign, actor });
    return { outcome: 'cancelled', campaign, message: cancelledMessage(campaign) };
  }

  async expireDue(): Promise<CampaignRecord[]> {
    const now = this.#deps.context.clock.now();
    const expired: CampaignRecord[] = [];
    for (const due of this.list((c) => c.state === 'awaiting_approval' && c.expiresAt <= now)) {
      const next = await this.#deps.store.updateCampaign(due.id, (current, at) => {
        const changed = expiredNow(current, at);
        return changed
          ? { next: changed, value: changed, audit: [{ actor: systemActor, kind: 'campaign_expired' }] }
          : { value: null };
      });
      if (next) {
        expired.push(next);
        this.#emit({ kind: 'expired', campaign: next });
      }
    }
    return expired;
  }

  /** After a restart (once the drains were reconciled): every running campaign goes on. */
  reconcile(): CampaignRecord[] {
    const running = this.list((c) => c.state === 'running');
    for (const campaign of running) this.#advance(campaign.id);
    return running;
  }

  /** Resolves once the campaign's pending steps ran (it may then wait for Done or a drain). */
  async settled(id: string): Promise<CampaignRecord> {
    for (;;) {
      const advancing = this.#advancing.get(id);
      if (!advancing) return this.get(id)!;
      await advancing;
    }
  }

  /** Moves the campaign on now if it can (idempotent: it reads the record to decide). */
  carryOn(id: string): void {
    this.#advance(id);
  }

  /** Resolves when no campaign step of this process is under way. */
  async idle(): Promise<void> {
    while (this.#advancing.size > 0) await Promise.all(this.#advancing.values());
  }

  async #decide(
    id: string,
    actor: Actor,
    kind: 'approve' | 'reject',
    actorIsApprover: boolean,
    reason?: string,
  ): Promise<CampaignDecision> {
    const { store, context } = this.#deps;
    if (!this.get(id))
      return { outcome: 'refused', code: 'not_found', message: `no campaign ${id}`, campaign: null };
    const decided = await store.updateCampaign(
      id,
      (current, now): { next?: CampaignRecord; value: CampaignDecision } => {
        const refused = decisionRefusal(
          current,
          { kind, actor, actorIsApprover, nowMs: now },
          context.config.approval.twoPersonRule,
        );
        if (refused) return { value: { outcome: 'refused', ...refused, campaign: current } };
        const decision = {
          kind: kind === 'approve' ? ('approved' as const) : ('rejected' as const),
          actor,
          at: now,
          ...(reason ? { reason } : {}),
        };
        const next: CampaignRecord = {
          ...current,
          state: kind === 'approve' ? 'running' : 'rejected',
          decisions: [...current.decisions, decision],
          ...(kind === 'reject' ? { finishedAt: now } : {}),
        };
        return {
          next,
          value: { outcome: decision.kind, campaign: next, message: `Campaign ${id} ${decision.kind}.` },
        };
      },
    );
    if (decided.outcome === 'approved' || decided.outcome === 'rejected')
      this.#emit({ kind: decided.outcome, campaign: decided.campaign, actor });
    return decided;
  }

  /** Moves the campaign on as far as it can go now (serialised per campaign). */
  #advance(id: string): void {
    const previous = this.#advancing.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => this.#step(id))
      .catch((error: unknown) => this.#stop(id, error))
      .finally(() => {
        if (this.#advancing.get(id) === next) this.#advancing.delete(id);
      });
    this.#advancing.set(id, next);
  }

  async #step(id: string): Promise<void> {
    const { drains, context } = this.#deps;
    for (;;) {
      const campaign = this.get(id);
      if (campaign?.state !== 'running') return;
      const host = campaign.hosts.find((h) => h.step !== 'done' && h.step !== 'cancelled');
      if (!host) {
        const finished = await this.#update(id, { state: 'finished' }, 'campaign_finished');
        this.#emit({ kind: 'finished', campaign: finished });
        return;
      }
      const approver = approverOf(campaign);
      switch (host.step) {
        case 'waiting': {
          const drain = await this.#startDrain(
            campaign,
            approver,
            drainSpecOf(campaign.options, host.host, campaign),
          );
          const changed = await this.#update(id, {
            host: host.host,
            patch: { step: 'draining', drainId: drain.id },
          });
          this.#emit({ kind: 'host_started', campaign: changed, host: hostOf(changed, host.host), drain });
          continue;
        }
        case 'draining': {
          const drain = drains.get(host.drainId!)!;
          if (!isDrainFinished(drain.state)) return; // its end moves the campaign on
          if (drain.state !== 'finished') {
            await this.cancel(id, systemActor);
            return;
          }
          const changed = await this.#update(id, {
            host: host.host,
            patch: { step: 'awaiting_done', message: readyMessage(drain) },
          });
          this.#emit({ kind: 'host_ready', campaign: changed, host: hostOf(changed, host.host), drain });
          return;
        }
        case 'awaiting_done':
          return;
        case 'returning': {
          await serviceEnable(context.executor, context.config.cluster.controller.name, { host: host.host });
          if (campaign.options.returnVms && !host.returnId) {
            const spec = drains.returnSpec(host.host);
            if (spec) {
              const back = await this.#startDrain(campaign, approver, spec);
              await this.#update(id, { host: host.host, patch: { returnId: back.id } });
              if (!isDrainFinished(back.state)) return;
            }
          }
          const back = host.returnId ? drains.get(host.returnId) : undefined;
          if (back && !isDrainFinished(back.state)) return;
          const changed = await this.#update(id, {
            host: host.host,
            patch: { step: 'done', message: doneMessage(host.host, back) },
          });
          this.#emit({
            kind: 'host_done',
            campaign: changed,
            host: hostOf(changed, host.host),
            ...(back ? { drain: back } : {}),
          });
          continue;
        }
        default:
          return;
      }
    }
  }

  /** A host's drain (or return), planned now and started under the campaign's approval. */
  #startDrain(campaign: CampaignRecord, approver: Actor, spec: DrainSpec): Promise<DrainRecord> {
    return this.#deps.drains.createApproved(
      { ...spec, campaignId: campaign.id },
      campaign.requester,
      approver,
    );
  }

  /** A step that failed (nova refused, a host did not answer) stops the campaign, saying why. */
  async #stop(id: string, error: unknown): Promise<void> {
    const message = `stopped: ${(error as Error).message}`;
    const campaign = await this.#deps.store.updateCampaign(id, (current, now) => {
      if (current.state !== 'running') return { value: null };
      const next: CampaignRecord = { ...current, state: 'cancelled', finishedAt: now, message };
      return {
        next,
        value: next,
        audit: [{ actor: systemActor, kind: 'campaign_stopped', detail: message }],
      };
    });
    if (campaign) this.#emit({ kind: 'cancelled', campaign });
  }

  async #update(
    id: string,
    change: { state: 'finished' } | { host: string; patch: Partial<CampaignHost> },
    audit?: string,
  ): Promise<CampaignRecord> {
    return this.#deps.store.updateCampaign(id, (current, now) => {
      const next: CampaignRecord =
        'state' in change
          ? { ...current, state: change.state, finishedAt: now }
          : withHost(current, change.host, change.patch);
      return { next, value: next, ...(audit ? { audit: [{ actor: systemActor, kind: audit }] } : {}) };
    });
  }

  #emit(event: CampaignEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A surface's failure must not stop a campaign.
      }
    }
  }
}

function drainSpecOf(
  options: Omit<CampaignSpec, 'hosts'>,
  host: string,
  campaign?: CampaignRecord,
): DrainSpec {
  return {
    sources: [host],
    to: options.to?.filter((h) => h !== host),
    acceptedDowntimeMs: options.acceptedDowntimeMs,
    continueOnFailure: options.continueOnFailure,
    ...(campaign ? { campaignId: campaign.id } : {}),
  };
}

function withHost(campaign: CampaignRecord, host: string, patch: Partial<CampaignHost>): CampaignRecord {
  return { ...campaign, hosts: campaign.hosts.map((h) => (h.host === host ? { ...h, ...patch } : h)) };
}

function hostOf(campaign: CampaignRecord, host: string): CampaignHost {
  return campaign.hosts.find((h) => h.host === host)!;
}

/** What the operator reads before the maintenance: empty and disabled, or what stays. */
export function readyMessage(drain: DrainRecord): string {
  const host = drain.sources[0]!;
  const failed = drain.moves.filter((m) => m.state !== 'succeeded');
  const left = drain.leftOnSources?.[0];
  const servers = left?.servers?.map((s) => s.name) ?? [];
  const what =
    servers.length === 0 && failed.length === 0
      ? `${host} is empty and disabled`
      : `${host} is disabled; still on it: ${servers.length > 0 ? servers.join(', ') : failed.map((m) => m.vm.name).join(', ')}`;
  const why = drain.left.map((l) => `${l.vm.name}: ${l.fix}`);
  return `${what}${why.length > 0 ? ` (${why.join('; ')})` : ''}: do your maintenance, then press Done.`;
}

function doneMessage(host: string, back: DrainRecord | undefined): string {
  if (!back) return `${host} is enabled again.`;
  const returned = back.moves.filter((m) => m.state === 'succeeded').length;
  return `${host} is enabled again; ${returned} of ${back.moves.length} VM(s) are back on it.`;
}

function cancelledMessage(campaign: CampaignRecord): string {
  const disabled = campaign.hosts.filter((h) => h.drainId && h.step !== 'done').map((h) => h.host);
  return `Campaign ${campaign.id} cancelled.${disabled.length > 0 ? ` ${disabled.join(', ')} stay disabled: \`undrain HOST\` enables a host again.` : ''}`;
}
