/**
 * The command core as a long-running surface (the Slack bot) holds it: one set of services, the
 * registry's commands, and the workflow operations that buttons trigger (approve, reject, cancel,
 * request a reboot, expire). A surface turns its payloads into these calls and renders what they
 * return; it never reaches the store, the engine or SSH itself.
 */
import {
  type CampaignDecision,
  type CampaignEvent,
  type DrainControl,
  type DrainDecision,
  type DrainEvent,
  isDrainFinished,
} from '../src/engine/drain/index.js';
import type { ActivityView, DecisionOutcome, ProgressListener } from '../src/engine/runner/index.js';
import type { HistoryPage } from '../src/store/index.js';
import type {
  CampaignRecord,
  DrainRecord,
  MigrationRecord,
  RequestRecord,
  SlackRefs,
} from '../src/store/types.js';
import { Semaphore } from '../src/util/semaphore.js';
import { type AuditResultValue, auditCommand } from './audit.js';
import { type CancelResult, cancelCommand, requesterOrApprover } from './cancel.js';
import { type RebootResult, rebootCommand } from './reboot.js';
import { type RouteContext, type RoutedCommand, routeCommand } from './route.js';
import type { Caller, RunnerServices } from './types.js';

/** What a command returned, with its text rendering, for a surface to show. */
export interface RanCommand {
  name: string;
  result: { kind: string };
  text: string;
  exitCode: number;
}

export class CommandCore {
  readonly #services: RunnerServices;
  /** Commands that ask the hosts run a few at a time, so a burst cannot starve the event loop. */
  readonly #checks: Semaphore;

  constructor(services: RunnerServices) {
    this.#services = services;
    this.#checks = new Semaphore(services.config.limits.maxConcurrentChecks);
  }

  /** Routes `/migrate` text for a caller with these roles (inventory hosts from the config). */
  route(text: string, roles: Omit<RouteContext, 'hosts'>): Promise<RoutedCommand> {
    return routeCommand(text, {
      ...roles,
      hosts: this.#services.config.cluster.hypervisors.map((h) => h.name),
    });
  }

  /** Runs a routed command as `caller`. */
  async run(routed: Extract<RoutedCommand, { kind: 'run' }>, caller: Caller): Promise<RanCommand> {
    const { entry, impl, request } = routed;
    const release = entry.asksHosts ? await this.#takeTurn(caller) : () => undefined;
    try {
      const result = await impl.run(request, this.#services as never, caller);
      return { name: entry.name, result, text: impl.renderText(result), exitCode: impl.exitCode(result) };
    } finally {
      release();
    }
  }

  /** Waits for a free check slot, telling the caller how many are ahead when it must wait. */
  async #takeTurn(caller: Caller): Promise<() => void> {
    if (this.#checks.exhausted) caller.onEvent?.({ kind: 'waiting', ahead: this.#checks.waiting + 1 });
    await this.#checks.acquire();
    return () => this.#checks.release();
  }

  /** Approve (a migration starts, or a reboot runs, after the re-check) — one compare-and-set. */
  approve(requestId: string, caller: Caller): Promise<DecisionOutcome> {
    return this.#services.runner.approve(requestId, caller.actor, { actorIsApprover: caller.mayApprove });
  }

  /** Reject with the approver's reason — one compare-and-set. */
  reject(requestId: string, caller: Caller, reason: string): Promise<DecisionOutcome> {
    return this.#services.runner.reject(requestId, caller.actor, {
      actorIsApprover: caller.mayApprove,
      reason,
    });
  }

  /** Cancel a request or a migration (the requester's own; approvers any). */
  cancel(id: string, caller: Caller): Promise<CancelResult> {
    return cancelCommand.run({ id }, this.#services, caller);
  }

  /** Ask for a hard reboot of a VM (re-checked: refused when it would change nothing). */
  requestReboot(vm: string, caller: Caller): Promise<RebootResult> {
    return rebootCommand.run({ vm, yes: false, force: false }, this.#services, caller);
  }

  /** Approve a drain: re-planned first; a changed plan is recorded and must be approved again. */
  approveDrain(id: string, caller: Caller): Promise<DrainDecision> {
    return this.#services.drains.approve(id, caller.actor, { actorIsApprover: caller.mayApprove });
  }

  rejectDrain(id: string, caller: Caller, reason: string): Promise<DrainDecision> {
    return this.#services.drains.reject(id, caller.actor, { actorIsApprover: caller.mayApprove, reason });
  }

  /** Pause, Resume or Cancel a drain: its requester or an approver. */
  async controlDrain(
    id: string,
    caller: Caller,
    action: 'pause' | 'resume' | 'cancel',
  ): Promise<DrainControl> {
    const { drains } = this.#services;
    const drain = drains.get(id);
    if (!drain) return { outcome: 'refused', message: `There is no drain ${id}.`, drain: null };
    if (!requesterOrApprover(drain.requester, caller))
      return { outcome: 'refused', message: 'Only the requester or an approver may do this.', drain };
    return drains[action](id, caller.actor);
  }

  approveCampaign(id: string, caller: Caller): Promise<CampaignDecision> {
    return this.#services.campaigns.approve(id, caller.actor, { actorIsApprover: caller.mayApprove });
  }

  rejectCampaign(id: string, caller: Caller, reason: string): Promise<CampaignDecision> {
    return this.#services.campaigns.reject(id, caller.actor, { actorIsApprover: caller.mayApprove, reason });
  }

  /** Done (the host's maintenance is over) or Cancel on a campaign: its requester or an approver. */
  async controlCampaign(id: string, caller: Caller, action: 'done' | 'cancel'): Promise<CampaignDecision> {
    const { campaigns } = this.#services;
    const campaign = campaigns.get(id);
    if (!campaign)
      return {
        outcome: 'refused',
        code: 'not_found',
        message: `There is no maintenance ${id}.`,
        campaign: null,
      };
    if (!requesterOrApprover(campaign.requester, caller))
      return {
        outcome: 'refused',
        code: 'not_approver',
        message: 'Only the requester or an approver may do this.',
        campaign,
      };
    return campaigns[action](id, caller.actor);
  }

  /** Drains not ended and campaigns under way or awaiting approval (the App Home). */
  operationsUnderWay(): { drains: DrainRecord[]; campaigns: CampaignRecord[] } {
    return {
      drains: this.#services.drains.list((d) => !isDrainFinished(d.state)),
      campaigns: this.#services.campaigns.list(
        (c) => c.state === 'running' || c.state === 'awaiting_approval',
      ),
    };
  }

  drain(id: string): DrainRecord | undefined {
    return this.#services.drains.get(id);
  }

  campaign(id: string): CampaignRecord | undefined {
    return this.#services.campaigns.get(id);
  }

  attachDrainSlack(id: string, refs: SlackRefs): Promise<DrainRecord> {
    return this.#services.drains.attachSlack(id, refs);
  }

  attachCampaignSlack(id: string, refs: SlackRefs): Promise<CampaignRecord> {
    return this.#services.campaigns.attachSlack(id, refs);
  }

  subscribeDrains(listener: (event: DrainEvent) => void): () => void {
    return this.#services.drains.subscribe(listener);
  }

  subscribeCampaigns(listener: (event: CampaignEvent) => void): () => void {
    return this.#services.campaigns.subscribe(listener);
  }

  /** Drains and campaigns past their approval time expire (their events redraw the cards). */
  async expireDrainsDue(): Promise<number> {
    const drains = await this.#services.drains.expireDue();
    const campaigns = await this.#services.campaigns.expireDue();
    return drains.length + campaigns.length;
  }

  /** Expires requests (migrations and reboots) past their time; returns them to redraw their cards. */
  expireDue(): Promise<RequestRecord[]> {
    return this.#services.runner.expireDue();
  }

  /** The fleet audit (the App Home's fleet section). */
  fleetAudit(): Promise<AuditResultValue> {
    return auditCommand.run({}, this.#services, systemCaller);
  }

  request(id: string): RequestRecord | undefined {
    return this.#services.runner.request(id);
  }

  migration(id: string): MigrationRecord | undefined {
    return this.#services.runner.migration(id);
  }

  activity(): ActivityView {
    return this.#services.runner.activity();
  }

  history(limit: number): Promise<HistoryPage> {
    return this.#services.store.history({ limit });
  }

  /** Records where the surface posted about a request (and its migration), so a restart re-attaches. */
  attachSlack(requestId: string, refs: SlackRefs): Promise<void> {
    return this.#services.runner.attachSlack(requestId, refs);
  }

  subscribe(listener: ProgressListener): () => void {
    return this.#services.runner.subscribe(listener);
  }

  /**
   * Once at start, after subscribing: carries whatever a crash left unfinished to its end. Returns
   * the requests whose checks a restart interrupted (failed: their requesters are told).
   */
  async reconcile(): Promise<RequestRecord[]> {
    const report = await this.#services.runner.reconcile();
    await this.#services.store.archiveFinished();
    // The bot carries on every drain and campaign a stopped livemig left under way.
    this.#services.drains.reconcile();
    this.#services.campaigns.reconcile();
    return report.failedRequests.flatMap((id) => this.request(id) ?? []);
  }

  /** Resolves when nothing this process drives is running. */
  async idle(): Promise<void> {
    await this.#services.drains.idle();
    await this.#services.campaigns.idle();
    await this.#services.runner.idle();
  }
}

const systemCaller: Caller = {
  actor: { id: 'livemig', via: 'system' },
  mayRequest: false,
  mayApprove: false,
  surface: 'slack',
  confirm: null,
};
