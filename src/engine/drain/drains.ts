/**
 * Durable drains: a plan approved as a whole, then carried out move by move through the runner,
 * every decision a compare-and-set on the drain's record.
 *
 * - `create` plans (gather.ts + plan.ts) and records the drain awaiting approval.
 * - `approve` re-plans first: a plan that changed is recorded and shown, and the approver decides
 *   again on the new one (never silently applied). The same two-person rule and expiry as a
 *   migration request (evaluateDecision, through drain-record.ts).
 * - Running: nova-compute is disabled on the sources (journaled first), then each move is an
 *   ordinary request + migration of the runner, started in the plan's order only when the limits
 *   let it start at once. The first failure stops new starts (`stopped`) until someone says go on
 *   (resume) or cancel, unless the drain was asked to continue on failure.
 * - Pause starts nothing new; cancel aborts the running moves as a single cancel does.
 * - After a kill: `reconcile` carries every running drain on. A move's request carries the drain's
 *   id, so a move caught between its request and its migration is found by asking the runner's
 *   records, never started twice.
 */
import { randomBytes } from 'node:crypto';
import { listDomains, listServers, serviceDisable } from '../../cluster/index.js';
import { userMessage } from '../../errors.js';
import { lastDrainThatEmptied, type Store } from '../../store/index.js';
import type {
  Actor,
  DrainMoveRecord,
  DrainRecord,
  DrainState,
  HostContents,
  RequestRecord,
  SlackRefs,
} from '../../store/types.js';
import { type MigrationRunner, systemActor } from '../runner/index.js';
import {
  approverOf,
  type DrainSpec,
  decisionRefusal,
  describeState,
  drivenStates,
  expiredNow,
  hasRoom,
  learnedMoveOverhead,
  notStartedWhy,
  outcomeOf,
  planChanges,
  planView,
  samePlan,
  specOf,
  stoppedByRestart,
  withMove,
} from './drain-record.js';
import { type DrainContext, gatherDrainFacts } from './gather.js';
import { type DrainPlan, planDrain } from './plan.js';

/** What happened to a drain, for the surfaces (the CLI's lines, the Slack status message). */
export interface DrainEvent {
  kind:
    | 'plan_changed'
    | 'approved'
    | 'rejected'
    | 'expired'
    | 'move_started'
    | 'move_finished'
    | 'paused'
    | 'resumed'
    | 'stopped'
    | 'cancelling'
    | 'finished'
    | 'cancelled';
  drain: DrainRecord;
  move?: DrainMoveRecord;
  actor?: Actor;
}

export type DrainDecision =
  | { outcome: 'approved' | 'rejected'; drain: DrainRecord }
  /** The re-check found another plan: it is recorded and shown, and must be approved again. */
  | { outcome: 'plan_changed'; drain: DrainRecord; changes: string[] }
  | { outcome: 'refused'; code: string; message: string; drain: DrainRecord | null };

/** Pause, resume and cancel: done, or why not. */
export type DrainControl =
  | { outcome: 'done'; drain: DrainRecord; message: string }
  | { outcome: 'refused'; message: string; drain: DrainRecord | null };

export interface DrainsDeps {
  context: DrainContext;
  store: Store;
  runner: MigrationRunner;
}

export class Drains {
  readonly #deps: DrainsDeps;
  readonly #listeners = new Set<(event: DrainEvent) => void>();
  /** The drive loop of each drain this process carries out. */
  readonly #driving = new Map<string, Promise<void>>();
  /** Drains to look at again once their drive loop ends (a resume that came as it ended). */
  readonly #again = new Set<string>();
  /** Wakes a drive loop waiting for a move or a resume. */
  readonly #wakers = new Map<string, () => void>();

  constructor(deps: DrainsDeps) {
    this.#deps = deps;
  }

  /** Records where a surface posted about it (a restarted bot re-attaches to the same messages). */
  attachSlack(id: string, refs: SlackRefs): Promise<DrainRecord> {
    return this.#deps.store.updateDrain(id, (current) => {
      const next = { ...current, slack: { ...current.slack, ...refs } };
      return { next, value: next };
    });
  }

  subscribe(listener: (event: DrainEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(id: string): DrainRecord | undefined {
    return this.#deps.store.getDrain(id);
  }

  list(filter?: (d: DrainRecord) => boolean): DrainRecord[] {
    return this.#deps.store.listDrains(filter);
  }

  /**
   * Plans `spec` now (no record): the dry run, and the re-check at approval (which keeps the
   * destinations the approver saw while they still pass: `keep`, VM uuid → host).
   */
  async plan(spec: DrainSpec, keep?: ReadonlyMap<string, string>): Promise<DrainPlan> {
    const { context, runner } = this.#deps;
    const facts = await gatherDrainFacts(context, {
      sources: spec.sources,
      ...(spec.to ? { allowedDestinations: spec.to } : {}),
      ...(spec.returnOf ? { onlyVms: spec.returnOf.vms } : {}),
      migrationInProgress: (uuid) => runner.hasUnfinishedMigration(uuid),
    });
    // Only past drain moves teach the overhead: read their migrations, not every migration.
    const { store } = this.#deps;
    const moves = store.listRequests((r) => r.drainId !== undefined && r.migrationId !== undefined);
    const ids = new Set(moves.map((r) => r.migrationId));
    const migrations = store.listMigrations((m) => ids.has(m.id));
    return planDrain(facts, {
      limits: context.config.limits,
      allowedDestinations: spec.to,
      acceptedDowntimeMs: spec.acceptedDowntimeMs,
      keep,
      moveOverhead: learnedMoveOverhead(moves, migrations),
    });
  }

  /**
   * `undrain HOST --return`: the VMs that HOST's last drain moved away, to bring back from where it
   * put them (the plan then finds which are still there); null when it moved none.
   */
  returnSpec(host: string): DrainSpec | null {
    const last = lastDrainThatEmptied(this.list(), host);
    if (!last) return null;
    const moves = last.moves.filter((m) => m.source === host && m.state === 'succeeded');
    return {
      sources: [...new Set(moves.map((m) => m.destination))],
      to: [host],
      continueOnFailure: true,
      returnOf: { drainId: last.id, host, vms: moves.map((m) => m.vm.uuid) },
    };
  }

  /** Plans `spec` and records the drain awaiting approval. */
  async create(spec: DrainSpec, requester: Actor): Promise<DrainRecord> {
    return this.#deps.store.insertDrain(await this.#planned(spec, requester), [
      { actor: requester, kind: 'drain_created', detail: spec.sources.join(', ') },
    ]);
  }

  /**
   * Plans `spec` and starts it at once, approved by `approver`: a maintenance campaign's host,
   * which the campaign's own approval (two-person rule and all) covers. Planned once: nothing
   * passes between the plan and the decision that a re-check would catch.
   */
  async createApproved(spec: DrainSpec, requester: Actor, approver: Actor): Promise<DrainRecord> {
    const planned = await this.#planned(spec, requester);
    const now = this.#deps.context.clock.now();
    const drain = await this.#deps.store.insertDrain(
      {
        ...planned,
        state: 'running',
        decisions: [{ kind: 'approved', actor: approver, at: now }],
        startedAt: now,
      },
      [
        { actor: requester, kind: 'drain_created', detail: spec.sources.join(', ') },
        { actor: approver, kind: 'drain_approved' },
      ],
    );
    this.#emit({ kind: 'approved', drain, actor: approver });
    this.#launch(drain.id);
    return drain;
  }

  /** A new drain's record, awaiting approval, with the plan of `spec` made now. */
  async #planned(
    spec: DrainSpec,
    requester: Actor,
  ): Promise<Omit<DrainRecord, 'version' | 'createdAt' | 'updatedAt'>> {
    const plan = await this.plan(spec);
    const now = this.#deps.context.clock.now();
    return {
      id: `drn-${randomBytes(4).toString('hex')}`,
      kind: spec.returnOf ? 'return' : 'drain',
      ...(spec.returnOf ? { returnOf: { drainId: spec.returnOf.drainId, host: spec.returnOf.host } } : {}),
      requester,
      options: {
        ...(spec.to ? { to: spec.to } : {}),
        ...(spec.acceptedDowntimeMs === undefined ? {} : { acceptedDowntimeMs: spec.acceptedDowntimeMs }),
        continueOnFailure: spec.continueOnFailure,
      },
      state: 'awaiting_approval',
      decisions: [],
      expiresAt: now + this.#deps.context.config.approval.expiryMinutes * 60_000,
      ...planView(plan, now),
      ...(spec.campaignId ? { campaignId: spec.campaignId } : {}),
    };
  }

  /**
   * Approves: re-plans, and starts the drain only when the plan is the one the approver saw. The
   * decision itself is one compare-and-set, so two approvers clicking at once start one drain.
   */
  async approve(id: string, actor: Actor, details: { actorIsApprover: boolean }): Promise<DrainDecision> {
    const { store } = this.#deps;
    const before = store.getDrain(id);
    if (!before) return { outcome: 'refused', code: 'not_found', message: `no drain ${id}`, drain: null };
    const refusal = this.#refusal(before, 'approve', actor, details.actorIsApprover);
    if (refusal) return refusal;
    const plan = await this.plan(
      specOf(before),
      new Map(before.moves.map((m) => [m.vm.uuid, m.destination])),
    );
    const changes = planChanges(before, plan);
    if (changes.length > 0) {
      const changed = await store.updateDrain(id, (current, now) => {
        if (current.state !== 'awaiting_approval' || !samePlan(current, before)) return { value: null };
        const next = { ...current, ...planView(plan, now), planChanges: changes };
        return {
          next,
          value: next,
          audit: [{ actor, kind: 'drain_plan_changed', detail: changes.join('; ') }],
        };
      });
      if (changed === null) return this.#raced(id);
      this.#emit({ kind: 'plan_changed', drain: changed, actor });
      return { outcome: 'plan_changed', drain: changed, changes };
    }
    const approved = await store.updateDrain(id, (current, now) => {
      const verdict = this.#refusal(current, 'approve', actor, details.actorIsApprover);
      if (verdict || !samePlan(current, before)) return { value: null };
      const next: DrainRecord = {
        ...current,
        state: 'running',
        decisions: [...current.decisions, { kind: 'approved', actor, at: now }],
        startedAt: now,
      };
      delete next.planChanges;
      return { next, value: next, audit: [{ actor, kind: 'drain_approved' }] };
    });
    if (approved === null) return this.#raced(id);
    this.#emit({ kind: 'approved', drain: approved, actor });
    this.#launch(id);
    return { outcome: 'approved', drain: approved };
  }

  async reject(
    id: string,
    actor: Actor,
    details: { actorIsApprover: boolean; reason?: string },
  ): Promise<DrainDecision> {
    const rejected = await this.#deps.store.updateDrain(id, (current, now) => {
      const refusal = this.#refusal(current, 'reject', actor, details.actorIsApprover);
      if (refusal) return { value: refusal };
      const next: DrainRecord = {
        ...current,
        state: 'rejected',
        finishedAt: now,
        decisions: [
          ...current.decisions,
          { kind: 'rejected', actor, at: now, ...(details.reason ? { reason: details.reason } : {}) },
        ],
      };
      return {
        next,
        value: { outcome: 'rejected', drain: next } as DrainDecision,
        audit: [{ actor, kind: 'drain_rejected', ...(details.reason ? { detail: details.reason } : {}) }],
      };
    });
    if (rejected.outcome === 'rejected') this.#emit({ kind: 'rejected', drain: rejected.drain, actor });
    return rejected;
  }

  /** Starts no new move; the running ones finish. */
  pause(id: string, actor: Actor): Promise<DrainControl> {
    return this.#control(id, actor, ['running'], 'paused', 'paused');
  }

  /** Starts moves again after a pause, or after a failure stopped the drain. */
  async resume(id: string, actor: Actor): Promise<DrainControl> {
    const result = await this.#control(id, actor, ['paused', 'stopped'], 'running', 'resumed');
    if (result.outcome === 'done') this.#launch(id);
    return result;
  }

  /**
   * Cancels: before approval the drain ends; while it runs, nothing new starts and every running
   * move is aborted as a single cancel does (the VM stays on its source).
   */
  async cancel(id: string, actor: Actor): Promise<DrainControl> {
    const drain = this.get(id);
    if (drain?.state === 'awaiting_approval') {
      const result = await this.#control(id, actor, ['awaiting_approval'], 'cancelled', 'cancelled');
      return result;
    }
    const result = await this.#control(
      id,
      actor,
      ['running', 'paused', 'stopped'],
      'cancelling',
      'cancelling',
    );
    if (result.outcome !== 'done') return result;
    for (const move of result.drain.moves) {
      if (move.state === 'running' && move.migrationId)
        await this.#deps.runner.cancel(move.migrationId, actor);
    }
    this.#launch(id);
    return result;
  }

  /** Expires drains awaiting approval past their time; returns them to redraw their cards. */
  async expireDue(): Promise<DrainRecord[]> {
    const now = this.#deps.context.clock.now();
    const expired: DrainRecord[] = [];
    for (const due of this.list((d) => d.state === 'awaiting_approval' && d.expiresAt <= now)) {
      const next = await this.#deps.store.updateDrain(due.id, (current, at) => {
        const changed = expiredNow(current, at);
        return changed
          ? { next: changed, value: changed, audit: [{ actor: systemActor, kind: 'drain_expired' }] }
          : { value: null };
      });
      if (next) {
        expired.push(next);
        this.#emit({ kind: 'expired', drain: next });
      }
    }
    return expired;
  }

  /** After a restart: carries every drain a process was driving on from where it was. */
  reconcile(): DrainRecord[] {
    const resumed = this.list((d) => drivenStates.includes(d.state) && !this.#driving.has(d.id));
    for (const drain of resumed) this.#launch(drain.id);
    return resumed;
  }

  /**
   * Resolves when the drain ended, or waits for a person: paused, or stopped after a failure
   * (with nothing running).
   */
  async settled(id: string): Promise<DrainRecord> {
    for (;;) {
      const drive = this.#driving.get(id);
      if (!drive) return this.get(id)!;
      await drive;
    }
  }

  /** Resolves when no drain is being driven by this process. */
  async idle(): Promise<void> {
    while (this.#driving.size > 0) await Promise.all(this.#driving.values());
  }

  #refusal(
    drain: DrainRecord,
    kind: 'approve' | 'reject',
    actor: Actor,
    actorIsApprover: boolean,
  ): Extract<DrainDecision, { outcome: 'refused' }> | null {
    const { config, clock } = this.#deps.context;
    const refused = decisionRefusal(
      drain,
      { kind, actor, actorIsApprover, nowMs: clock.now() },
      config.approval.twoPersonRule,
    );
    return refused && { outcome: 'refused', ...refused, drain };
  }

  /** Someone else decided (or the plan moved) between the re-check and the decision. */
  #raced(id: string): DrainDecision {
    const drain = this.get(id) ?? null;
    const last = drain?.decisions.at(-1);
    return {
      outcome: 'refused',
      code: 'already_decided',
      message: last
        ? `already ${last.kind} by ${last.actor.name ?? last.actor.id}`
        : 'the plan changed meanwhile; look at it again',
      drain,
    };
  }

  async #control(
    id: string,
    actor: Actor,
    from: readonly DrainState[],
    to: DrainState,
    event: DrainEvent['kind'],
  ): Promise<DrainControl> {
    const drain = this.get(id);
    if (!drain) return { outcome: 'refused', message: `No drain ${id}.`, drain: null };
    const changed = await this.#deps.store.updateDrain(id, (current, now) => {
      if (!from.includes(current.state)) return { value: null };
      const next: DrainRecord = { ...current, state: to };
      if (to === 'cancelled') {
        next.finishedAt = now;
        next.decisions = [...current.decisions, { kind: 'cancelled', actor, at: now }];
      }
      // A pause's reason ends with the pause; a failure's stays through a cancel (it says why the
      // moves left never started) and ends when the drain goes on.
      if (to === 'running' || current.state === 'paused') delete next.stoppedBecause;
      if (to === 'paused') next.stoppedBecause = `paused by ${actor.name ?? actor.id}`;
      return { next, value: next, audit: [{ actor, kind: `drain_${event}` }] };
    });
    if (changed === null) {
      const now = this.get(id)!;
      return {
        outcome: 'refused',
        message: `Nothing changed: drain ${id} ${describeState(now.state)}.`,
        drain: now,
      };
    }
    this.#emit({ kind: event, drain: changed, actor });
    this.#wakers.get(id)?.();
    return { outcome: 'done', drain: changed, message: `Drain ${id} ${describeState(changed.state)}.` };
  }

  #emit(event: DrainEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A surface's failure must not stop a drain.
      }
    }
  }

  #launch(id: string): void {
    if (this.#driving.has(id)) {
      // The loop may be past its last look at the record: it runs once more when it ends.
      this.#again.add(id);
      this.#wakers.get(id)?.();
      return;
    }
    const drive = this.#drive(id).finally(() => {
      this.#driving.delete(id);
      if (this.#again.delete(id)) this.#launch(id);
    });
    this.#driving.set(id, drive);
    drive.catch(() => undefined);
  }

  /** Carries the drain on until it ends or waits for a person. */
  async #drive(id: string): Promise<void> {
    const moving = new Map<string, Promise<void>>();
    let drain = this.get(id)!;
    if (!drivenStates.includes(drain.state)) return;
    if (drain.kind === 'drain' && drain.state !== 'cancelling') await this.#disableSources(drain);
    // Moves a crash caught between their request and their end: found by the runner's records.
    for (const move of drain.moves.filter((m) => m.state === 'running')) {
      const migrationId = await this.#adopt(id, move);
      if (migrationId) moving.set(move.vm.uuid, this.#follow(id, move.vm.uuid, migrationId));
    }
    for (;;) {
      drain = this.get(id)!;
      if (drain.state === 'running') {
        const next = drain.moves.find((m) => m.state === 'queued' && hasRoom(drain, m, this.#limits()));
        if (next) {
          const migrationId = await this.#start(id, next);
          if (migrationId) moving.set(next.vm.uuid, this.#follow(id, next.vm.uuid, migrationId));
          continue;
        }
      }
      if (moving.size === 0) {
        if (drain.state === 'running' && !drain.moves.some((m) => m.state === 'queued')) {
          await this.#finish(id, 'finished');
        } else if (drain.state === 'cancelling') {
          await this.#finish(id, 'cancelled');
        }
        return;
      }
      // Wait for a move to end, or for a pause, resume or cancel.
      const woken = new Promise<void>((resolve) => this.#wakers.set(id, resolve));
      await Promise.race([...moving.values(), woken]);
      this.#wakers.delete(id);
      const stillRunning = new Set(
        this.get(id)!
          .moves.filter((m) => m.state === 'running')
          .map((m) => m.vm.uuid),
      );
      for (const uuid of moving.keys()) if (!stillRunning.has(uuid)) moving.delete(uuid);
    }
  }

  #limits() {
    return this.#deps.context.config.limits;
  }

  /** Journals the sources as disabled, then asks nova (idempotent: a resumed drain asks again). */
  async #disableSources(drain: DrainRecord): Promise<void> {
    const { context, store } = this.#deps;
    const approver = approverOf(drain);
    if (!drain.disabled) {
      await store.updateDrain(drain.id, (current) => ({
        next: { ...current, disabled: [...current.sources] },
        value: undefined,
        audit: [{ actor: approver, kind: 'drain_disable_sources', detail: current.sources.join(', ') }],
      }));
    }
    const reason = `livemig drain ${drain.id} by ${approver.name ?? approver.id} at ${new Date(drain.startedAt ?? context.clock.now()).toISOString().slice(0, 16)}Z`;
    for (const host of drain.sources) {
      await serviceDisable(context.executor, context.config.cluster.controller.name, { host, reason });
    }
  }

  /**
   * A move recorded as running: its migration when it has one (the runner carries it to its end);
   * an approval-ready request is approved; anything else goes back to the queue.
   */
  async #adopt(id: string, move: DrainMoveRecord): Promise<string | null> {
    const request = this.#requestOf(id, move);
    if (request?.migrationId) {
      await this.#updateMove(id, move.vm.uuid, { requestId: request.id, migrationId: request.migrationId });
      return request.migrationId;
    }
    if (request?.state === 'awaiting_approval') return this.#approveMove(id, move, request);
    await this.#updateMove(id, move.vm.uuid, { state: 'queued', message: 'queued' });
    return null;
  }

  /** The newest request of this move (the drain's id and the VM's uuid name it). */
  #requestOf(id: string, move: DrainMoveRecord): RequestRecord | undefined {
    return this.#deps.store
      .listRequests((r) => r.drainId === id && r.vm.uuid === move.vm.uuid)
      .reduce<RequestRecord | undefined>(
        (a, b) => (a === undefined || b.createdAt >= a.createdAt ? b : a),
        undefined,
      );
  }

  /** Journals the move as running, makes its request (its own pre-flight) and approves it. */
  async #start(id: string, move: DrainMoveRecord): Promise<string | null> {
    const drain = await this.#updateMove(id, move.vm.uuid, { state: 'running', message: 'checking' });
    this.#emit({ kind: 'move_started', drain, move: drain.moves.find((m) => m.vm.uuid === move.vm.uuid)! });
    let request: RequestRecord;
    try {
      request = await this.#deps.runner.createRequest({
        drainId: id,
        vm: move.vm.uuid,
        destination: move.destination,
        requester: drain.requester,
        options: {
          blockMigrate: false,
          ...(drain.options.acceptedDowntimeMs === undefined
            ? {}
            : { acceptedDowntimeMs: drain.options.acceptedDowntimeMs }),
        },
      });
    } catch (error) {
      await this.#endMove(id, move, 'blocked', `could not be checked when it was due: ${userMessage(error)}`);
      return null;
    }
    if (request.state !== 'awaiting_approval') {
      const block = request.checks?.checks.find((check) => check.status === 'block');
      await this.#endMove(
        id,
        move,
        'blocked',
        `blocked when it was due: ${block ? `${block.title}: ${block.explanation}` : request.state}`,
      );
      return null;
    }
    return this.#approveMove(id, move, request);
  }

  async #approveMove(id: string, move: DrainMoveRecord, request: RequestRecord): Promise<string | null> {
    const approval = await this.#deps.runner.approve(request.id, approverOf(this.get(id)!), {
      actorIsApprover: true,
    });
    if (approval.outcome !== 'approved') {
      const why = approval.outcome === 'refused' ? approval.message : approval.outcome;
      await this.#endMove(id, move, 'blocked', `not started: ${why}`);
      return null;
    }
    await this.#updateMove(id, move.vm.uuid, {
      requestId: request.id,
      migrationId: approval.migrationId,
      message: `moving to ${move.destination}`,
    });
    return approval.migrationId;
  }

  /** Waits for the move's migration and records how it ended. */
  async #follow(id: string, uuid: string, migrationId: string): Promise<void> {
    const m = await this.#deps.runner.waitForMigration(migrationId);
    const move = this.get(id)!.moves.find((x) => x.vm.uuid === uuid)!;
    // A restart ended it before nova moved anything (the runner never starts a live migration on
    // its own after a restart): the drain's approval still covers the move, so it goes back to the
    // queue (at most twice). A failure of the copy itself is a failure.
    const tries = this.#deps.store.listRequests((r) => r.drainId === id && r.vm.uuid === uuid).length;
    if (m.state === 'failed' && stoppedByRestart(m) && tries < 3) {
      await this.#updateMove(id, uuid, {
        state: 'queued',
        message: 'queued again: livemig stopped before it began',
      });
      return;
    }
    const outcome = outcomeOf(m);
    await this.#endMove(id, move, outcome.state, outcome.message, outcome.numbers);
  }

  async #endMove(
    id: string,
    move: DrainMoveRecord,
    state: DrainMoveRecord['state'],
    message: string,
    numbers: Pick<DrainMoveRecord, 'pauseMs' | 'durationMs'> = {},
  ): Promise<void> {
    const failed = state === 'failed' || state === 'unknown' || state === 'cancelled';
    const drain = await this.#deps.store.updateDrain(id, (current) => {
      const next = withMove(current, move.vm.uuid, { state, message, ...numbers });
      // The first failure stops new starts (a cancel of the drain itself is no failure).
      if (failed && !current.options.continueOnFailure && current.state === 'running') {
        next.state = 'stopped';
        next.stoppedBecause = `${move.vm.name} ${state}`;
      }
      return {
        next,
        value: next,
        audit: [{ actor: systemActor, kind: `drain_move_${state}`, detail: move.vm.name }],
      };
    });
    this.#emit({ kind: 'move_finished', drain, move: drain.moves.find((m) => m.vm.uuid === move.vm.uuid)! });
    if (drain.state === 'stopped' && failed) this.#emit({ kind: 'stopped', drain });
  }

  async #updateMove(id: string, uuid: string, patch: Partial<DrainMoveRecord>): Promise<DrainRecord> {
    return this.#deps.store.updateDrain(id, (current) => {
      const next = withMove(current, uuid, patch);
      return { next, value: next };
    });
  }

  /** Asks nova and libvirt what is left on the sources, and records the end. */
  async #finish(id: string, state: 'finished' | 'cancelled'): Promise<void> {
    const drain = this.get(id)!;
    const left =
      drain.kind === 'drain' ? await Promise.all(drain.sources.map((host) => this.#whatIsLeft(host))) : [];
    const ended = await this.#deps.store.updateDrain(id, (current, now) => {
      const next: DrainRecord = {
        ...current,
        state,
        finishedAt: now,
        moves: current.moves.map((m) =>
          m.state === 'queued' ? { ...m, state: 'not_started', message: notStartedWhy(current) } : m,
        ),
        ...(left.length > 0 ? { leftOnSources: left } : {}),
      };
      return { next, value: next, audit: [{ actor: systemActor, kind: `drain_${state}` }] };
    });
    this.#emit({ kind: state, drain: ended });
  }

  async #whatIsLeft(host: string): Promise<HostContents> {
    const { executor, config } = this.#deps.context;
    const controller = config.cluster.controller.name;
    const errors: string[] = [];
    const [servers, domains] = await Promise.all([
      listServers(executor, controller, { host }).catch((error: unknown) => {
        errors.push(`nova list --host ${host}: ${userMessage(error).split('\n')[0]}`);
        return null;
      }),
      listDomains(executor, host, {}).catch((error: unknown) => {
        errors.push(`virsh list --all on ${host}: ${userMessage(error).split('\n')[0]}`);
        return null;
      }),
    ]);
    return {
      host,
      servers: servers?.map((s) => ({ name: s.name, uuid: s.uuid, status: s.status })) ?? null,
      domains: domains?.map((d) => ({ name: d.name, state: d.state })) ?? null,
      errors,
    };
  }
}
