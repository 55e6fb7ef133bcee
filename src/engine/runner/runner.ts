/**
 * The durable migration runner: the API both surfaces (CLI and Slack) drive. It owns scheduling
 * (one migration per VM, per-host and global limits, a FIFO queue that never drops; admission at
 * the end of this file), runs each migration through driver.ts, and on start reconciles whatever
 * a crash left unfinished.
 */
import type { Store } from '../../store/index.js';
import type { Actor, MigrationRecord, RequestRecord, SlackRefs } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import type { MigrationCluster } from '../cluster-port.js';
import {
  EventHub,
  emitFor,
  type Limits,
  type ProgressListener,
  type RunnerContext,
  type RunnerSettings,
  systemActor,
  transitionMigration,
} from './context.js';
import { driveMigration } from './driver.js';
import type { Prechecker } from './precheck.js';
import {
  assessReboot,
  closeUnneeded,
  createRebootRequest,
  type NewRebootOutcome,
  type RebootOutcome,
  reconcileReboots,
  runReboot,
} from './reboot.js';
import {
  type CancelOutcome,
  cancelById,
  createRequest,
  type DecisionOutcome,
  decide,
  evaluateDecision,
  expireDue,
  failInterruptedRequests,
  finishRequest,
  type NewRequest,
} from './requests.js';
import { activeMigrationStates, isTerminal } from './transitions.js';

interface RunnerDeps {
  store: Store;
  cluster: MigrationCluster;
  precheck: Prechecker;
  clock: Clock;
  settings: RunnerSettings;
}

/** A queued migration with its place in line. */
export type QueuedMigration = MigrationRecord & { queuePosition: number; queueReason: string };

export interface ActivityView {
  /** Requests awaiting approval. */
  pending: RequestRecord[];
  /** Approved migrations waiting for a slot. */
  queued: QueuedMigration[];
  running: MigrationRecord[];
}

export interface ReconcileReport {
  /** Migrations that were in flight and are being carried to a terminal state. */
  resumed: string[];
  /** Requests interrupted during their checks (failed) and stale ones (expired). */
  failedRequests: string[];
  expiredRequests: string[];
}

export class MigrationRunner {
  readonly #ctx: RunnerContext;
  readonly #hub = new EventHub();
  readonly #driving = new Map<string, Promise<void>>();
  /** Hard reboots this process is running, by request id. */
  readonly #rebooting = new Map<string, Promise<RebootOutcome>>();
  readonly #waiters = new Map<string, ((m: MigrationRecord) => void)[]>();
  /** The queue position last announced per migration, so each change is announced once. */
  readonly #announcedPositions = new Map<string, number>();

  constructor(deps: RunnerDeps) {
    this.#ctx = { ...deps, hub: this.#hub, system: systemActor };
  }

  /** Progress events of every migration (and reboot warnings of new requests). */
  subscribe(listener: ProgressListener): () => void {
    return this.#hub.subscribe(listener);
  }

  /** Resolves the VM through nova, records the request and runs the pre-flight on it. */
  async createRequest(input: NewRequest): Promise<RequestRecord> {
    const request = await createRequest(this.#ctx, input, (uuid) => this.#hasLiveMigration(uuid));
    if (request.checks?.needsHardReboot) {
      this.#hub.emit({
        kind: 'reboot_warning',
        migrationId: null,
        requestId: request.id,
        vm: request.vm,
        at: this.#ctx.clock.now(),
        message: `${request.vm.name} runs a CPU definition from before the baseline change: it needs a HARD reboot (nova reboot --hard) once; a soft reboot keeps the old CPU.`,
      });
    }
    return request;
  }

  /**
   * Approves. A migration request's migration is queued and starts as soon as the limits allow; a
   * reboot request is re-checked first (a reboot that is no longer needed is closed, and nothing
   * is rebooted), then its reboot runs (waitForReboot).
   */
  async approve(
    requestId: string,
    actor: Actor,
    details: { actorIsApprover: boolean },
  ): Promise<DecisionOutcome> {
    const request = this.#ctx.store.getRequest(requestId);
    if (request?.kind === 'reboot' && !request.reboot?.forced) {
      const unneeded = await this.#rebootNoLongerNeeded(request, actor, details);
      if (unneeded) return unneeded;
    }
    const outcome = await decide(this.#ctx, requestId, 'approve', actor, details);
    if (outcome.outcome === 'reboot_approved') this.#launchReboot(outcome.request, actor);
    if (outcome.outcome !== 'approved') return outcome;
    const m = this.#ctx.store.getMigration(outcome.migrationId)!;
    this.#hub.emit({
      kind: 'milestone',
      milestone: 'approved',
      detail: `approved by ${actor.name ?? actor.id}`,
      migrationId: m.id,
      requestId,
      vm: m.vm,
      at: this.#ctx.clock.now(),
    });
    this.#schedule();
    return outcome;
  }

  /**
   * Records a hard-reboot request when the VM's live CPU is not the configured model (or with
   * `force`); it then awaits approval like a migration request.
   */
  requestReboot(input: { vm: string; requester: Actor; force?: boolean }): Promise<NewRebootOutcome> {
    return createRebootRequest(this.#ctx, input);
  }

  /** Resolves with the outcome of an approved reboot request's reboot. */
  async waitForReboot(requestId: string): Promise<RebootOutcome | null> {
    const running = this.#rebooting.get(requestId);
    if (running) return running;
    const request = this.#ctx.store.getRequest(requestId);
    const reboot = request?.reboot;
    return request && reboot?.outcome
      ? { ...reboot.outcome, vm: request.vm, cpuBefore: reboot.liveCpu, configuredCpu: reboot.configuredCpu }
      : null;
  }

  reject(
    requestId: string,
    actor: Actor,
    details: { actorIsApprover: boolean; reason?: string },
  ): Promise<DecisionOutcome> {
    return decide(this.#ctx, requestId, 'reject', actor, details);
  }

  /**
   * Cancels a request (before approval), a queued migration, or a running one (the copy is
   * aborted and the VM confirmed on its source). `id` is a request or a migration id. Whether
   * `actor` may cancel is the caller's decision.
   */
  async cancel(id: string, actor: Actor): Promise<CancelOutcome> {
    const outcome = await cancelById(this.#ctx, id, actor, (migrationId) => this.#driving.has(migrationId));
    if (outcome.outcome === 'cancelled' && outcome.migration) {
      await finishRequest(this.#ctx, outcome.migration);
      this.#notifyWaiters(outcome.migration);
    }
    return outcome;
  }

  /** Expires requests past their expiresAt (call it periodically; approvals also check expiry). */
  expireDue(): Promise<RequestRecord[]> {
    return expireDue(this.#ctx);
  }

  /** Requests awaiting a person's approval, queued migrations with their positions, running migrations. */
  activity(): ActivityView {
    const { store } = this.#ctx;
    const admission = this.#admission();
    const queued = admission.waiting.map((w) => ({
      ...store.getMigration(w.id)!,
      queuePosition: w.position,
      queueReason: w.reason,
    }));
    return {
      // A drain's own requests are approved by the drain a moment after their pre-flight: they
      // wait for no person, and the drain's status shows them.
      pending: store.listRequests((r) => r.state === 'awaiting_approval' && r.drainId === undefined),
      queued,
      running: store.listMigrations(
        (m) => activeMigrationStates.includes(m.state) || (m.state === 'approved' && this.#driving.has(m.id)),
      ),
    };
  }

  /** Records where the Slack surface posted about a request (and its migration). */
  async attachSlack(requestId: string, refs: SlackRefs): Promise<void> {
    const request = await this.#ctx.store.updateRequest(requestId, (current) => {
      const next = { ...current, slack: { ...current.slack, ...refs } };
      return { next, value: next };
    });
    if (request.migrationId) {
      await this.#ctx.store.updateMigration(request.migrationId, (current) => ({
        next: { ...current, slack: { ...current.slack, ...refs } },
        value: undefined,
      }));
    }
  }

  /**
   * Call once on start, before anything else: requests interrupted in their checks fail, stale
   * ones expire, every unfinished migration is carried to a terminal state (asking nova where the
   * VM is instead of repeating a side effect), and queued ones start as the limits allow.
   */
  async reconcile(): Promise<ReconcileReport> {
    const { store } = this.#ctx;
    const failedRequests = await failInterruptedRequests(this.#ctx);
    for (const request of await reconcileReboots(this.#ctx)) this.#emitRebootFinished(request);
    const expiredRequests = (await this.expireDue()).map((r) => r.id);
    for (const m of store.listMigrations((x) => isTerminal(x.state))) await finishRequest(this.#ctx, m);
    // One rule for every state: livemig never starts a live migration on its own after a restart.
    // An approved one that no process drives any more (the data dir is locked while one does) is
    // failed, truthfully; one that began is carried to its end by asking nova where the VM is.
    for (const m of store.listMigrations((x) => x.state === 'approved' && !this.#driving.has(x.id))) {
      await this.#failNotStarted(m);
    }
    const resumed = store
      .listMigrations((m) => activeMigrationStates.includes(m.state) && !this.#driving.has(m.id))
      .map((m) => m.id);
    for (const id of resumed) this.#launch(id, true);
    this.#schedule();
    return { resumed, failedRequests, expiredRequests };
  }

  async #failNotStarted(m: MigrationRecord): Promise<void> {
    const message = `livemig stopped before the migration of ${m.vm.name} began; nothing was moved (${m.vm.name} stays on ${m.source}). Request it again.`;
    const moved = await transitionMigration(
      this.#ctx.store,
      m.id,
      'failed',
      systemActor,
      { error: { message } },
      message,
    );
    if (!moved) return;
    emitFor(this.#ctx, moved.record, { kind: 'failed', message, step: null, logExcerpt: null });
    await finishRequest(this.#ctx, moved.record);
    this.#notifyWaiters(moved.record);
  }

  /**
   * Resolves with the migration's record once it is terminal, or once this runner stops driving
   * it without an end (its hosts stopped answering: the outcome is unknown).
   */
  waitForMigration(migrationId: string): Promise<MigrationRecord> {
    const m = this.#ctx.store.getMigration(migrationId);
    if (m && isTerminal(m.state)) return Promise.resolve(m);
    return new Promise((resolve) => {
      const list = this.#waiters.get(migrationId) ?? [];
      list.push(resolve);
      this.#waiters.set(migrationId, list);
    });
  }

  /** Resolves when no migration is being driven (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#driving.size + this.#rebooting.size > 0)
      await Promise.all([
        ...this.#driving.values(),
        ...[...this.#rebooting.values()].map((r) => r.catch(() => undefined)),
      ]);
    await this.#ctx.store.flushed();
  }

  /** The request or migration with this id, as stored (the surfaces redraw cards from it). */
  request(id: string): RequestRecord | undefined {
    return this.#ctx.store.getRequest(id);
  }

  migration(id: string): MigrationRecord | undefined {
    return this.#ctx.store.getMigration(id);
  }

  /** Who asked for the request `id`, or for the migration `id`; null when there is no such record. */
  requesterOf(id: string): Actor | null {
    const { store } = this.#ctx;
    const request = store.getRequest(id) ?? store.listRequests((r) => r.migrationId === id)[0];
    return request?.requester ?? null;
  }

  /** True when livemig has an unfinished migration of the VM with this UUID. */
  hasUnfinishedMigration(uuid: string): boolean {
    return this.#hasLiveMigration(uuid);
  }

  #hasLiveMigration(uuid: string): boolean {
    return this.#ctx.store.listMigrations((m) => m.vm.uuid === uuid && !isTerminal(m.state)).length > 0;
  }

  #admission() {
    const { store } = this.#ctx;
    const slot = (m: MigrationRecord): SlotHolder => ({
      id: m.id,
      vmUuid: m.vm.uuid,
      source: m.source,
      destination: m.destination,
    });
    const running = store
      .listMigrations((m) => activeMigrationStates.includes(m.state) || this.#driving.has(m.id))
      .map(slot);
    const queued = store
      .listMigrations((m) => m.state === 'approved' && !this.#driving.has(m.id))
      .sort((a, b) => a.createdAt - b.createdAt)
      .map(slot);
    return admit(running, queued, this.#ctx.settings.limits);
  }

  #schedule(): void {
    const admission = this.#admission();
    for (const id of admission.start) {
      this.#announcedPositions.delete(id);
      this.#launch(id, false);
    }
    for (const w of admission.waiting) {
      if (this.#announcedPositions.get(w.id) === w.position) continue;
      this.#announcedPositions.set(w.id, w.position);
      const m = this.#ctx.store.getMigration(w.id)!;
      this.#hub.emit({
        kind: 'queued',
        position: w.position,
        reason: w.reason,
        migrationId: m.id,
        requestId: m.requestId,
        vm: m.vm,
        at: this.#ctx.clock.now(),
      });
    }
  }

  #launch(migrationId: string, resumed: boolean): void {
    if (this.#driving.has(migrationId)) return;
    const drive = driveMigration(this.#ctx, migrationId, { resumed })
      .then(async () => {
        const m = this.#ctx.store.getMigration(migrationId)!;
        if (isTerminal(m.state)) await finishRequest(this.#ctx, m);
        this.#notifyWaiters(m);
      })
      .finally(() => {
        this.#driving.delete(migrationId);
        this.#schedule();
      });
    this.#driving.set(migrationId, drive);
    // Only broken storage gets here; idle() reports it, and it must not crash the process.
    drive.catch(() => undefined);
  }

  /** The re-check at approval: a reboot that would change nothing is closed instead. */
  async #rebootNoLongerNeeded(
    request: RequestRecord,
    actor: Actor,
    details: { actorIsApprover: boolean },
  ): Promise<DecisionOutcome | null> {
    const verdict = evaluateDecision(
      request,
      { kind: 'approve', actor, actorIsApprover: details.actorIsApprover, nowMs: this.#ctx.clock.now() },
      this.#ctx.settings.approval,
    );
    // A refused click is refused by decide() below, with the usual audit line; no SSH for it.
    if (!verdict.allowed) return null;
    const need = await assessReboot(this.#ctx, request.vm.uuid, request.source);
    if (need.needed) return null;
    const message = `no longer needed: ${need.reason}`;
    const closed = await closeUnneeded(this.#ctx, request.id, message);
    this.#hub.emit({
      kind: 'reboot_finished',
      result: 'not_needed',
      message,
      migrationId: null,
      requestId: request.id,
      vm: request.vm,
      at: this.#ctx.clock.now(),
    });
    return { outcome: 'not_needed', request: closed, message };
  }

  #launchReboot(request: RequestRecord, actor: Actor): void {
    const base = { migrationId: null, requestId: request.id, vm: request.vm };
    this.#hub.emit({ kind: 'reboot_started', ...base, at: this.#ctx.clock.now() });
    const running = runReboot(this.#ctx, request.id, actor).then(
      (outcome) => {
        this.#emitRebootFinished(this.#ctx.store.getRequest(request.id)!);
        return outcome;
      },
      (error: unknown) => {
        // Broken storage or SSH beyond the reboot's own handling: say so, the record stays unfinished.
        const message = `the reboot of ${request.vm.name} could not be followed: ${(error as Error).message}`;
        this.#hub.emit({
          kind: 'reboot_finished',
          result: 'failed',
          message,
          ...base,
          at: this.#ctx.clock.now(),
        });
        throw error;
      },
    );
    this.#rebooting.set(request.id, running);
    void running.catch(() => undefined).finally(() => this.#rebooting.delete(request.id));
  }

  #emitRebootFinished(request: RequestRecord): void {
    const outcome = request.reboot?.outcome;
    if (!outcome) return;
    this.#hub.emit({
      kind: 'reboot_finished',
      result: outcome.result,
      message: outcome.message,
      migrationId: null,
      requestId: request.id,
      vm: request.vm,
      at: this.#ctx.clock.now(),
    });
  }

  #notifyWaiters(m: MigrationRecord): void {
    const list = this.#waiters.get(m.id) ?? [];
    this.#waiters.delete(m.id);
    for (const resolve of list) resolve(m);
  }
}

// Locks and limits as a pure function: which approved migrations may start now. One migration per
// VM; at most maxMigrationsPerSourceHost out of a host, maxMigrationsPerDestinationHost into one,
// maxConcurrentMigrations in all. Whatever does not fit waits in approval order — never dropped.

export interface SlotHolder {
  id: string;
  vmUuid: string;
  source: string;
  destination: string;
}

interface Admission {
  /** Ids that may start now, in queue order. */
  start: string[];
  /** Ids that keep waiting, with their 1-based position in the queue. */
  waiting: { id: string; position: number; reason: string }[];
}

/** Decides admission for `queued` (oldest first) given the migrations `running` now. */
export function admit(
  running: readonly SlotHolder[],
  queued: readonly SlotHolder[],
  limits: Limits,
): Admission {
  const active = [...running];
  const start: string[] = [];
  const waiting: Admission['waiting'] = [];
  for (const candidate of queued) {
    const reason = blockingReason(active, candidate, limits);
    if (reason === null) {
      start.push(candidate.id);
      active.push(candidate);
    } else {
      waiting.push({ id: candidate.id, position: waiting.length + 1, reason });
    }
  }
  return { start, waiting };
}

function blockingReason(active: readonly SlotHolder[], candidate: SlotHolder, limits: Limits): string | null {
  if (active.some((m) => m.vmUuid === candidate.vmUuid)) return 'another migration of this VM is running';
  if (active.length >= limits.maxConcurrentMigrations) {
    return `${limits.maxConcurrentMigrations} migrations are running (maxConcurrentMigrations)`;
  }
  const outOf = active.filter((m) => m.source === candidate.source).length;
  if (outOf >= limits.maxMigrationsPerSourceHost) {
    return `${candidate.source} already sends ${outOf} (maxMigrationsPerSourceHost)`;
  }
  const into = active.filter((m) => m.destination === candidate.destination).length;
  if (into >= limits.maxMigrationsPerDestinationHost) {
    return `${candidate.destination} already receives ${into} (maxMigrationsPerDestinationHost)`;
  }
  return null;
}
