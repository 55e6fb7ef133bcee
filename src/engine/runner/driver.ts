/**
 * The driver: carries one migration from `approved` (or from wherever a restart left it) to a
 * terminal state, walking the plan of plan.ts. For each step: journal "started" (on disk), act,
 * journal "done". A step the journal shows as started but not done is never simply run again:
 * the cluster is asked what happened first. Read top to bottom: the drive loop, the steps, the
 * copy (wait_for_completion, its progress and convergence, force-complete and abort), and how a
 * migration that did not succeed is settled.
 */

import type { DomainJobInfo, DomainState, ServerMigration } from '../../cluster/types.js';
import { isContactLost, LivemigError, userMessage } from '../../errors.js';
import type {
  Actor,
  MigrationOutcome,
  MigrationRecord,
  PlannedStepRecord,
  ProgressSnapshot,
} from '../../store/types.js';
import { pauseAllowed } from '../downtime-budget.js';
import {
  emitFor,
  journalStep,
  type MilestoneKind,
  type RunnerContext,
  stepStatus,
  transitionMigration,
} from './context.js';
import {
  actOnNonConvergence,
  type CopyTrend,
  nonConvergence,
  observedDirtyRate,
  trackCopy,
} from './convergence.js';
import { type PlannedStep, planSteps } from './plan.js';
import { guardSilentHosts } from './silent-hosts.js';

// The result of one step: expected outcomes are values, so a failed step is data, not a throw.

type StepOutcome =
  | { status: 'done'; detail: string; milestone?: MilestoneKind; result?: MigrationOutcome }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' };

/** A migration being driven by this runner. */
interface ActiveRun {
  ctx: RunnerContext;
  migrationId: string;
  /** The record as last read (refreshed after each write). */
  record(): MigrationRecord;
  /** True once someone asked to cancel. */
  cancelRequested(): boolean;
}

function done(detail: string, milestone?: MilestoneKind): StepOutcome {
  return milestone === undefined ? { status: 'done', detail } : { status: 'done', detail, milestone };
}

function failed(message: string): StepOutcome {
  return { status: 'failed', message };
}

interface DriveControl {
  /** True when the runner was started by reconcile() after a restart. */
  resumed: boolean;
}

/**
 * Runs migration `migrationId` to its end, or, when its hosts stop answering after the live
 * migration may have begun, until livemig gives up asking: then the record stays unfinished
 * ("outcome unknown") for the next reconcile. Only broken storage escapes.
 */
export async function driveMigration(
  ctx: RunnerContext,
  migrationId: string,
  control: DriveControl,
): Promise<void> {
  const run: ActiveRun = {
    ctx,
    migrationId,
    record: () => ctx.store.getMigration(migrationId)!,
    // Read from the record, so a cancel survives a restart and reconcile() honours it.
    cancelRequested: () => ctx.store.getMigration(migrationId)?.cancelRequestedBy !== undefined,
  };
  // A queued migration found after a restart never gets here: reconcile() fails it.
  let resumed = control.resumed && run.record().state !== 'approved';
  if (resumed) await noteResumed(run);
  let lostSince: number | null = null;
  let backoffMs = ctx.settings.limits.migrationPollIntervalMs;
  for (;;) {
    // Each attempt asks a host that stopped answering once, not once per question.
    const cluster = guardSilentHosts(ctx.cluster, ctx.settings.controller);
    const attempt = await driveSteps({ ...run, ctx: { ...ctx, cluster } }, resumed);
    if (attempt.status === 'ended') {
      if (lostSince !== null) await noteContact(run, 'regained', lostSince);
      return;
    }
    const now = ctx.clock.now();
    if (lostSince === null) {
      lostSince = now;
      await noteContact(run, 'lost', now, attempt.reason);
    }
    if (now - lostSince >= ctx.settings.limits.contactLostGiveUpMs) {
      await noteContact(run, 'gave_up', lostSince, attempt.reason);
      return;
    }
    await ctx.clock.sleep(backoffMs);
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
    // Every later attempt asks the cluster what happened, exactly as after a restart.
    resumed = true;
  }
}

/** The longest pause between two attempts to reach hosts that stopped answering. */
const maxBackoffMs = 30_000;

type Attempt = { status: 'ended' } | { status: 'contact_lost'; reason: string };

/** One pass over the plan; a host that stops answering after the migration began ends the pass. */
async function driveSteps(run: ActiveRun, resumed: boolean): Promise<Attempt> {
  const { ctx } = run;
  let step: string | null = null;
  try {
    if (run.record().state === 'approved') await start(run);
    if (isSettling(run.record())) {
      const m = run.record();
      await settleFailure(ctx, m, m.error?.step ?? null, settleReason(m));
      return { status: 'ended' };
    }
    const plan = run.record().plan;
    for (let i = 0; i < plan.length; ) {
      const planned = plan[i]!;
      step = planned.name;
      const outcome = await runStep(run, planned, resumed);
      if (outcome.status === 'failed') {
        await fail(run, planned.name, outcome.message);
        return { status: 'ended' };
      }
      if (outcome.status === 'cancelled') {
        const cancelled = await cancel(run);
        if (cancelled === 'ended') return { status: 'ended' };
        // The copy may still be writing to the destination: touch nothing, ask again later.
        if (cancelled === 'unconfirmed') {
          return {
            status: 'contact_lost',
            reason: 'livemig could not confirm that the copy stopped after the abort',
          };
        }
        // A cancel that came too late (the copy completed) lets the same step run again.
      }
      if (outcome.status === 'done') i++;
    }
    await finish(run);
  } catch (error) {
    // Before nova was asked to migrate, nothing moved: a failure is the truth. After, a host that
    // does not answer says nothing about where the VM is. And a failure being settled waits for
    // the hosts it must ask before it can say what is left behind (settleFailure), as does a cancel.
    if (isContactLost(error) && (migrationBegun(run) || isSettling(run.record()) || run.cancelRequested())) {
      return { status: 'contact_lost', reason: error.message };
    }
    try {
      await fail(run, step, userMessage(error));
    } catch (settling) {
      if (isContactLost(settling)) return { status: 'contact_lost', reason: settling.message };
      throw settling;
    }
  }
  return { status: 'ended' };
}

function migrationBegun(run: ActiveRun): boolean {
  return stepStatus(run.record().journal, 'live_migrate') !== 'not_started';
}

function isSettling(m: MigrationRecord): boolean {
  return m.journal.some((e) => e.step === 'settle');
}

/**
 * Journals and announces a loss of contact, its end, or livemig giving up: the record stays
 * unfinished and the next reconcile (a restart, or any livemig command) asks the hosts again.
 */
async function noteContact(
  run: ActiveRun,
  what: 'lost' | 'regained' | 'gave_up',
  since: number,
  reason?: string,
): Promise<void> {
  const { ctx } = run;
  const m = run.record();
  const seconds = Math.round((ctx.clock.now() - since) / 1000);
  const detail =
    what === 'lost'
      ? `the hosts stopped answering (${reason}); livemig keeps asking, and nothing is rolled back meanwhile`
      : what === 'regained'
        ? `the hosts answered again after ${seconds} s`
        : `outcome unknown: no answer for ${seconds} s (${reason}). ${
            migrationBegun(run)
              ? `${m.vm.name} may be on ${m.source} or ${m.destination}`
              : `${m.vm.name} did not move (nova was never asked), but what this attempt left on ${m.destination} is not known yet`
          }; livemig finds out when it next starts (livemig serve, migrate, cancel or reboot reconcile first)`;
  await journalStep(ctx.store, m.id, {
    step: 'contact',
    phase: what === 'regained' ? 'done' : 'started',
    actor: ctx.system,
    detail,
  });
  const milestone =
    what === 'lost' ? 'contact_lost' : what === 'regained' ? 'contact_regained' : 'outcome_unknown';
  emitFor(ctx, run.record(), { kind: 'milestone', milestone, detail });
}

/**
 * A migration no process drove since its last write (the process died, or gave up asking): how
 * long, on record, so the summary tells the copy time apart from the time nobody was watching.
 */
async function noteResumed(run: ActiveRun): Promise<void> {
  const { ctx } = run;
  const m = run.record();
  const lastSeen = Math.max(m.updatedAt, m.progress?.at ?? 0, m.journal.at(-1)?.at ?? 0);
  const gapMs = Math.max(0, ctx.clock.now() - lastSeen);
  await journalStep(
    ctx.store,
    m.id,
    {
      step: 'resume',
      phase: 'done',
      actor: ctx.system,
      detail: `resumed by a new livemig process; none drove it for ${Math.round(gapMs / 1000)} s`,
    },
    { unattendedMs: (m.unattendedMs ?? 0) + gapMs },
  );
}

async function start(run: ActiveRun): Promise<void> {
  const { ctx } = run;
  const m = run.record();
  const server = await ctx.cluster.showServer(m.vm.uuid);
  const patched = ctx.settings.release === 'icehouse-patched';
  const plan = planSteps(ctx.settings.release, {
    uuid: m.vm.uuid,
    source: m.source,
    destination: m.destination,
    instancesPath: ctx.settings.instancesPath,
    destinationDirExists: patched && (await ctx.cluster.instanceDirExists(m.destination, m.vm.uuid)),
    sourceDirExists: patched && (await ctx.cluster.instanceDirExists(m.source, m.vm.uuid)),
  });
  const patch: Partial<MigrationRecord> = { plan: plan.map(toRecord), startedAt: ctx.clock.now() };
  if (server.instanceName) patch.instanceName = server.instanceName;
  await moveTo(run, 'preparing', patch);
}

async function runStep(run: ActiveRun, planned: PlannedStepRecord, resumed: boolean): Promise<StepOutcome> {
  const { ctx } = run;
  const status = stepStatus(run.record().journal, planned.name);
  if (status === 'done') return { status: 'done', detail: 'already done' };
  if (status === 'failed') return { status: 'failed', message: journalDetail(run.record(), planned.name) };
  if (run.cancelRequested()) return { status: 'cancelled' };
  if (resumed) {
    const resolved = await resolveInterrupted(run, planned.name, status === 'started');
    if (resolved) return resolved;
  }
  if (run.record().state !== planned.state) await moveTo(run, planned.state);
  const actor = ctx.system;
  await journalStep(ctx.store, run.migrationId, { step: planned.name, phase: 'started', actor });
  const outcome = await executeStep(planned as PlannedStep, run);
  if (outcome.status === 'done') {
    const patch: Partial<MigrationRecord> = outcome.result ? { result: outcome.result } : {};
    await journalStep(
      ctx.store,
      run.migrationId,
      { step: planned.name, phase: 'done', actor, detail: outcome.detail },
      patch,
    );
    if (outcome.milestone)
      emitFor(ctx, run.record(), { kind: 'milestone', milestone: outcome.milestone, detail: outcome.detail });
  } else if (outcome.status === 'failed') {
    await journalStep(ctx.store, run.migrationId, {
      step: planned.name,
      phase: 'failed',
      actor,
      detail: outcome.message,
    });
  }
  return outcome;
}

/**
 * After a restart: decide what an interrupted (or not yet started) step means, by asking the
 * cluster, instead of repeating it. Returns null when the step may simply run (again).
 */
async function resolveInterrupted(
  run: ActiveRun,
  step: string,
  started: boolean,
): Promise<StepOutcome | null> {
  const { ctx } = run;
  const m = run.record();
  const migrationBegun = stepStatus(m.journal, 'live_migrate') !== 'not_started';
  if (!migrationBegun) {
    // Documented choice: livemig never starts a live migration on its own after a restart. The
    // approval was for then; nothing has moved, so the request is failed and its dir removed.
    return {
      status: 'failed',
      message: 'livemig restarted before the live migration began; nothing was moved',
    };
  }
  if (step !== 'live_migrate' || !started) return null;
  const server = await ctx.cluster.showServer(m.vm.uuid);
  const job = m.instanceName ? await ctx.cluster.jobInfo(m.source, m.instanceName).catch(() => null) : null;
  const detail =
    isJobActive(job) || server.taskState === 'migrating'
      ? 'confirmed after a restart: nova is migrating'
      : server.host === m.destination
        ? `confirmed after a restart: nova already shows it on ${m.destination}`
        : null;
  if (detail === null) {
    return {
      status: 'failed',
      message: 'livemig restarted while starting the migration and nova did not start it (not repeated)',
    };
  }
  await journalStep(ctx.store, m.id, { step, phase: 'done', actor: ctx.system, detail });
  emitFor(ctx, run.record(), { kind: 'milestone', milestone: 'migration_started', detail });
  return { status: 'done', detail };
}

/**
 * Handles a cancel: 'ended' when the migration ended (cancelled, or failed), 'continue' when the
 * copy completed first, 'unconfirmed' when livemig could not confirm that the copy stopped.
 */
async function cancel(run: ActiveRun): Promise<'ended' | 'continue' | 'unconfirmed'> {
  const { ctx } = run;
  const m = run.record();
  const actor = m.cancelRequestedBy ?? ctx.system;
  if (stepStatus(m.journal, 'live_migrate') !== 'not_started') {
    const result = await abortCopy(ctx, m, actor);
    if (result === 'unconfirmed') return 'unconfirmed';
    if (result === 'completed') {
      await ctx.store.updateMigration(m.id, (current) => {
        const { cancelRequestedBy: _ignored, ...rest } = current;
        return {
          next: rest,
          value: undefined,
          audit: [{ actor, kind: 'cancel_too_late', vm: m.vm, detail: 'the copy had completed' }],
        };
      });
      return 'continue';
    }
  }
  await settleCancelled(ctx, run.record(), actor);
  return 'ended';
}

async function fail(run: ActiveRun, step: string | null, reason: string): Promise<void> {
  // The failed step goes on record with the reason, so a restart while settling still reports it.
  const error = step === null ? { message: reason } : { message: reason, step };
  await journalStep(
    run.ctx.store,
    run.migrationId,
    { step: 'settle', phase: 'started', actor: run.ctx.system, detail: reason },
    { error },
  );
  await settleFailure(run.ctx, run.record(), step, reason);
}

async function finish(run: ActiveRun): Promise<void> {
  const m = run.record();
  const result = {
    ...(m.result ?? {
      durationMs: run.ctx.clock.now() - (m.startedAt ?? m.createdAt),
      downtimeMs: null,
      dataSentBytes: null,
    }),
    ...(m.unattendedMs === undefined ? {} : { unattendedMs: m.unattendedMs }),
  };
  const moved = await moveTo(run, 'succeeded', { result });
  if (moved) emitFor(run.ctx, run.record(), { kind: 'finished', ...result });
}

async function moveTo(
  run: ActiveRun,
  to: MigrationRecord['state'],
  patch: Partial<MigrationRecord> = {},
): Promise<boolean> {
  const moved = await transitionMigration(run.ctx.store, run.migrationId, to, run.ctx.system, patch);
  if (moved) emitFor(run.ctx, moved.record, { kind: 'phase', from: moved.from, to });
  return moved !== null;
}

function settleReason(m: MigrationRecord): string {
  return [...m.journal].reverse().find((e) => e.step === 'settle')?.detail ?? 'interrupted';
}

function journalDetail(m: MigrationRecord, step: string): string {
  return [...m.journal].reverse().find((e) => e.step === step)?.detail ?? `${step} failed`;
}

function toRecord(step: PlannedStep): PlannedStepRecord {
  return step.host === undefined
    ? { name: step.name, state: step.state, summary: step.summary }
    : { name: step.name, state: step.state, host: step.host, summary: step.summary };
}

// executeStep: the one place where a migration step touches the cluster. Every step returns an
// outcome value; only broken infrastructure (SSH down, unparsable output) throws.

/** Runs one planned step of `run`. */
async function executeStep(step: PlannedStep, run: ActiveRun): Promise<StepOutcome> {
  const { cluster } = run.ctx;
  const m = run.record();
  switch (step.name) {
    case 'recheck':
      return recheck(run);
    case 'create_instance_dir':
      await cluster.createInstanceDir(m.destination, m.vm.uuid);
      return done(`created ${instanceDir(run)} on ${m.destination} (nova:nova)`, 'dir_prepared');
    case 'live_migrate':
      try {
        await cluster.liveMigrate(m.vm.uuid, m.destination, m.options);
      } catch (error) {
        if (error instanceof LivemigError && error.code === 'remote_command_failed') {
          return failed(`nova refused the live migration: ${error.message}`);
        }
        throw error;
      }
      return done(`nova live-migration ${m.vm.uuid} ${m.destination} accepted`, 'migration_started');
    case 'wait_for_completion':
      return waitForCompletion(run);
    case 'verify_destination':
      return verifyDestination(run);
    case 'remove_source_dir':
      // Checked first so that running this step again after a restart changes nothing.
      if (!(await cluster.instanceDirExists(m.source, m.vm.uuid))) {
        return done(`${instanceDir(run)} was already gone from ${m.source}`, 'cleaned_up');
      }
      await cluster.removeInstanceDir(m.source, m.vm.uuid);
      return done(`removed ${instanceDir(run)} from ${m.source}`, 'cleaned_up');
    case 'clean_source_dir':
      return cleanSourceDir(run);
  }
}

/**
 * Juno and later: nova should have removed the source instance dir. A leftover holds no disk in
 * use once libvirt on the source has no domain of the VM (the guest runs from the destination's
 * dir): then livemig removes it, else it is kept and said so.
 */
async function cleanSourceDir(run: ActiveRun): Promise<StepOutcome> {
  const { cluster } = run.ctx;
  const m = run.record();
  const dir = instanceDir(run);
  if (!(await cluster.instanceDirExists(m.source, m.vm.uuid))) {
    return done(`nova removed ${dir} from ${m.source}`, 'cleaned_up');
  }
  const onSource = await cluster.domainState(m.source, m.instanceName!);
  if (onSource !== 'absent') {
    return done(`kept ${dir} on ${m.source}: libvirt there still has ${m.instanceName} (${onSource})`);
  }
  await cluster.removeInstanceDir(m.source, m.vm.uuid);
  return done(
    `nova left ${dir} on ${m.source}; it held no disk in use (no domain of ${m.vm.name} there), so livemig removed it`,
    'cleaned_up',
  );
}

function instanceDir(run: ActiveRun): string {
  return `${run.ctx.settings.instancesPath}/${run.record().vm.uuid}`;
}

/** The checks again, right before the first side effect: the facts may have changed since approval. */
async function recheck(run: ActiveRun): Promise<StepOutcome> {
  const m = run.record();
  const server = await run.ctx.cluster.showServer(m.vm.uuid);
  if (server.host !== m.source) {
    return failed(
      `${m.vm.name} is on ${server.host ?? 'no host'} now, not on ${m.source} as when it was requested`,
    );
  }
  const snapshot = await run.ctx.precheck({
    vmRef: m.vm.uuid,
    destination: m.destination,
    options: m.options,
    migrationInProgress: false,
    // A host that does not answer the checks is not asked again while this attempt settles.
    cluster: run.ctx.cluster,
  });
  await run.ctx.store.updateRequest(m.requestId, (current) => ({
    next: { ...current, checks: snapshot },
    value: undefined,
  }));
  if (snapshot.verdict === 'block') {
    const blocking = snapshot.checks.filter((c) => c.status === 'block');
    return failed(
      `the checks block it now: ${blocking.map((c) => `${c.title}: ${c.explanation}`).join('; ')}`,
    );
  }
  return done(`checks ${snapshot.verdict === 'go' ? 'pass' : 'pass with warnings'}`);
}

/** The VM is ACTIVE on the destination by nova, running there by libvirt, and not running on the source. */
async function verifyDestination(run: ActiveRun): Promise<StepOutcome> {
  const { cluster, clock, settings } = run.ctx;
  const m = run.record();
  let problem = '';
  // nova finishes its post-migration bookkeeping a little after libvirt: allow it a few polls.
  for (let attempt = 0; attempt < 10; attempt++) {
    if (attempt > 0) await clock.sleep(settings.limits.migrationPollIntervalMs);
    const server = await cluster.showServer(m.vm.uuid);
    const onDestination = await cluster.domainState(m.destination, m.instanceName!);
    const onSource = await cluster.domainState(m.source, m.instanceName!);
    if (server.host !== m.destination) problem = `nova shows ${m.vm.name} on ${server.host ?? 'no host'}`;
    else if (server.status !== 'ACTIVE') problem = `nova shows ${m.vm.name} ${server.status}`;
    else if (onDestination !== 'running') problem = `libvirt on ${m.destination} shows it ${onDestination}`;
    else if (onSource === 'running') problem = `it is still running on ${m.source} too`;
    else return done(`ACTIVE on ${m.destination}, running there, ${onSource} on ${m.source}`, 'verified');
  }
  return failed(`verification failed: ${problem}`);
}

// The `wait_for_completion` step: follows the copy until nova reports the VM on the destination,
// polling `virsh domjobinfo` on the source (and nova's migration record on Kilo and later) every
// limits.migrationPollIntervalMs of the injected clock. Read-only, so after a restart it simply
// runs again.

async function waitForCompletion(run: ActiveRun): Promise<StepOutcome> {
  const { ctx } = run;
  const { clock, settings } = ctx;
  const m = run.record();
  const instanceName = m.instanceName!;
  const startedAt = clock.now();
  let deadline = startedAt + completionDeadlineMs(0, settings.completionTimeoutSecPerGiB);
  let last: ProgressSnapshot | undefined = m.progress;
  let trend: CopyTrend | null = null;
  for (;;) {
    await clock.sleep(settings.limits.migrationPollIntervalMs);
    if (run.cancelRequested()) return { status: 'cancelled' };
    const job = await jobOrNone(run, m.source, instanceName);
    const serverMigration = settings.release === 'kilo-or-later' ? await serverMigrationOrNone(run) : null;
    if (serverMigration && run.record().novaMigrationId !== serverMigration.id) {
      await ctx.store.updateMigration(m.id, (current) => ({
        next: { ...current, novaMigrationId: serverMigration.id },
        value: undefined,
      }));
    }
    if (isJobActive(job)) {
      // Whether the guest runs decides what the user is told (paused, or dirtying memory).
      const guest = await ctx.cluster.domainState(m.source, instanceName).catch(() => null);
      last = {
        ...toProgress(job, serverMigration, clock.now()),
        ...(guest === null ? {} : { guestPaused: guest === 'paused' }),
      };
      deadline = Math.max(
        deadline,
        startedAt + completionDeadlineMs(last.memoryTotalBytes, settings.completionTimeoutSecPerGiB),
      );
      const progress = last;
      trend = trackCopy(trend, progress);
      const stalled = nonConvergence(trend, clock.now());
      // Only a running guest dirties memory: a paused one (no VIR_MIGRATE_LIVE, force-complete) says nothing.
      const observed = progress.guestPaused === false ? observedDirtyRate(trend, progress, stalled) : null;
      await ctx.store.updateMigration(m.id, (current) => ({
        next: { ...current, progress, ...(observed ? { observedDirtyRate: observed } : {}) },
        value: undefined,
      }));
      emitFor(ctx, run.record(), { kind: 'progress', ...withoutAt(progress) });
      if (stalled === null) continue;
      // Forcing completes the copy by pausing the guest for what is left at the current bandwidth.
      const forcedPauseMs =
        progress.bandwidthBytesPerSec > 0
          ? (progress.memoryRemainingBytes / progress.bandwidthBytesPerSec) * 1000
          : Number.POSITIVE_INFINITY;
      const pauseAccepted = pauseAllowed(forcedPauseMs, {
        budgetMs: settings.limits.downtimeBudgetMs,
        acceptedMs: m.options.acceptedDowntimeMs,
      });
      if (actOnNonConvergence(pauseAccepted, serverMigration !== null) === 'force_complete') {
        await forceCompleteOnce(run, serverMigration!.id);
        continue;
      }
      const aborted = await abortCopy(ctx, run.record(), ctx.system);
      // The copy finished while livemig aborted it: the next poll sees the VM moved.
      if (aborted === 'completed') continue;
      return failed(
        `the copy does not converge (${stalled}) and pausing ${m.vm.name} to finish it was not accepted, so livemig ${
          aborted === 'stopped' ? 'aborted the copy' : 'sent an abort but could not confirm the copy stopped'
        } (accept the pause with --accept-downtime where nova can force-complete, or migrate when the guest writes less memory)`,
      );
    }
    const server = await ctx.cluster.showServer(m.vm.uuid);
    if (server.host === m.destination && server.taskState === null) {
      const totals = await completedJob(run, [m.destination, m.source], instanceName);
      return {
        status: 'done',
        detail: `nova reports ${m.vm.name} on ${m.destination}`,
        milestone: 'switched_over',
        result: {
          durationMs: clock.now() - (run.record().startedAt ?? startedAt),
          copyMs: totals?.timeElapsedMs ?? null,
          downtimeMs: totals?.totalDowntimeMs ?? null,
          dataSentBytes:
            totals?.dataProcessedBytes ?? totals?.memoryProcessedBytes ?? last?.memoryProcessedBytes ?? null,
        },
      };
    }
    if (server.status === 'ERROR') return failed(`nova put ${m.vm.name} in ERROR during the migration`);
    if (server.taskState === null) {
      return failed(
        `nova ended the migration without moving ${m.vm.name}: it is still on ${server.host ?? 'no host'}`,
      );
    }
    if (clock.now() > deadline) {
      return failed(
        `nova did not finish the migration within ${Math.round((deadline - startedAt) / 1000)} s`,
      );
    }
  }
}

/**
 * `nova live-migration-force-complete`, journaled, at most once per migration (also across
 * restarts). A force-complete journaled as started but not done (the runner died around it) is
 * resolved by asking libvirt: it pauses the guest on the source, so a paused guest means it took
 * effect, a running one that it never reached nova and is sent now; no answer means ask again at
 * the next poll.
 */
async function forceCompleteOnce(run: ActiveRun, migrationId: string): Promise<void> {
  const { ctx } = run;
  const m = run.record();
  const status = stepStatus(m.journal, 'force_complete');
  if (status === 'done') return;
  if (status === 'started') {
    const state = await ctx.cluster.domainState(m.source, m.instanceName!).catch(() => 'unknown' as const);
    if (state === 'unknown') return;
    if (state !== 'running') {
      const detail = `confirmed after a restart: ${m.vm.name} is ${state} on ${m.source} (force-complete took effect)`;
      await journalStep(ctx.store, m.id, {
        step: 'force_complete',
        phase: 'done',
        actor: ctx.system,
        detail,
      });
      return;
    }
  }
  await journalStep(ctx.store, m.id, { step: 'force_complete', phase: 'started', actor: ctx.system });
  await ctx.cluster.forceComplete(m.vm.uuid, migrationId);
  const detail = `the copy does not converge: nova live-migration-force-complete ${m.vm.uuid} ${migrationId}`;
  await journalStep(ctx.store, m.id, { step: 'force_complete', phase: 'done', actor: ctx.system, detail });
}

/** A missing domain (already undefined on the source) means no job, not a broken host. */
async function jobOrNone(run: ActiveRun, host: string, instanceName: string): Promise<DomainJobInfo | null> {
  try {
    return await run.ctx.cluster.jobInfo(host, instanceName);
  } catch (error) {
    if (isRemoteRefusal(error)) return null;
    throw error;
  }
}

async function serverMigrationOrNone(run: ActiveRun): Promise<ServerMigration | null> {
  try {
    return await run.ctx.cluster.currentServerMigration(run.record().vm.uuid);
  } catch (error) {
    if (isRemoteRefusal(error)) return null;
    throw error;
  }
}

/** The finished job's totals (downtime, data sent), from whichever host still has them. */
async function completedJob(
  run: ActiveRun,
  hosts: string[],
  instanceName: string,
): Promise<DomainJobInfo | null> {
  for (const host of hosts) {
    const job = await run.ctx.cluster.jobInfo(host, instanceName, true).catch(() => null);
    if (job && job.jobType !== 'None') return job;
  }
  return null;
}

function isRemoteRefusal(error: unknown): boolean {
  return (error as { code?: string }).code === 'remote_command_failed';
}

function withoutAt(progress: ProgressSnapshot): Omit<ProgressSnapshot, 'at'> {
  const { at: _at, ...rest } = progress;
  return rest;
}

// Turns what libvirt and nova report about a running copy into livemig's progress numbers. Pure.

/** libvirt job types that mean a copy is in progress. */
function isJobActive(job: DomainJobInfo | null): job is DomainJobInfo {
  return job !== null && (job.jobType === 'Unbounded' || job.jobType === 'Bounded');
}

/**
 * The progress snapshot from `virsh domjobinfo` (and, on Kilo and later, nova's own migration
 * record, which fills the memory figures when libvirt leaves them out). The ETA assumes the
 * current bandwidth and dirty rate hold; it is null while the copy cannot converge.
 */
function toProgress(
  job: DomainJobInfo,
  serverMigration: ServerMigration | null,
  atMs: number,
): ProgressSnapshot {
  const total = job.memoryTotalBytes ?? serverMigration?.memoryTotalBytes ?? 0;
  const remaining = job.memoryRemainingBytes ?? serverMigration?.memoryRemainingBytes ?? 0;
  const processed = job.memoryProcessedBytes ?? serverMigration?.memoryProcessedBytes ?? 0;
  const bandwidth = job.memoryBandwidthBytesPerSec ?? 0;
  const dirtyRate = job.dirtyRateBytesPerSec ?? 0;
  const netRate = bandwidth - dirtyRate;
  return {
    at: atMs,
    memoryProcessedBytes: processed,
    memoryRemainingBytes: remaining,
    memoryTotalBytes: total,
    bandwidthBytesPerSec: bandwidth,
    dirtyRateBytesPerSec: dirtyRate,
    iteration: job.iteration ?? 0,
    expectedDowntimeMs: job.expectedDowntimeMs ?? 0,
    etaMs: netRate > 0 ? Math.round((remaining / netRate) * 1000) : null,
  };
}

/** How long livemig waits for nova to finish a copy of `memoryTotalBytes` before giving up. */
function completionDeadlineMs(memoryTotalBytes: number, completionTimeoutSecPerGiB: number): number {
  const gib = Math.max(1, Math.ceil(memoryTotalBytes / 2 ** 30));
  // nova aborts on its own after its completion timeout; livemig waits that long plus a margin
  // for the switch-over, and one hour when the timeout is off (0).
  const novaTimeoutMs = completionTimeoutSecPerGiB > 0 ? completionTimeoutSecPerGiB * gib * 1000 : 3_600_000;
  return novaTimeoutMs + 300_000;
}

// Cancelling a copy in flight: through nova on Kilo and later (`nova live-migration-abort`, so
// nova rolls its own bookkeeping back) when its server-migration API answers, else
// `virsh domjobabort` on the source; then wait until neither libvirt nor nova reports a
// migration. Only a copy confirmed stopped lets the caller touch a directory: a migration that
// may still be writing to the destination's instance dir must keep it.

const settlePolls = 30;

/**
 * How an abort ended: the copy stopped with the VM on its source, the copy completed first (the
 * VM moved), or livemig could not confirm that the copy stopped (a host did not answer, or the
 * job kept running).
 */
type AbortResult = 'stopped' | 'completed' | 'unconfirmed';

/** Aborts the copy of `m`; resolves once it stopped (or could not be confirmed stopped). */
async function abortCopy(ctx: RunnerContext, m: MigrationRecord, actor: Actor): Promise<AbortResult> {
  const instanceName = m.instanceName!;
  const job = await ctx.cluster.jobInfo(m.source, instanceName).catch(() => 'unknown' as const);
  if (job === 'unknown' || isJobActive(job)) {
    await journalStep(ctx.store, m.id, { step: 'abort', phase: 'started', actor });
    const how = await sendAbort(ctx, m, instanceName).catch((error: unknown) => {
      return `the abort did not reach the hosts: ${(error as Error).message}`;
    });
    await journalStep(ctx.store, m.id, { step: 'abort', phase: 'done', actor, detail: how });
  }
  for (let poll = 0; poll < settlePolls; poll++) {
    const stopped = await copyStopped(ctx, m, instanceName);
    if (stopped !== 'running') return stopped;
    await ctx.clock.sleep(ctx.settings.limits.migrationPollIntervalMs);
  }
  return 'unconfirmed';
}

/**
 * 'stopped' / 'completed' once libvirt and nova both show no migration, 'running' while one does,
 * 'unconfirmed' at once when a host does not answer (waiting on it again only stacks timeouts).
 */
async function copyStopped(
  ctx: RunnerContext,
  m: MigrationRecord,
  instanceName: string,
): Promise<AbortResult | 'running'> {
  try {
    const job = await ctx.cluster.jobInfo(m.source, instanceName);
    const server = await ctx.cluster.showServer(m.vm.uuid);
    if (isJobActive(job) || server.taskState !== null) return 'running';
    return server.host === m.destination ? 'completed' : 'stopped';
  } catch {
    return 'unconfirmed';
  }
}

/**
 * nova's abort where the API has it; `virsh domjobabort` on the source otherwise, including when
 * nova answers the server-migration calls with an error (an older microversion answers 404).
 */
async function sendAbort(ctx: RunnerContext, m: MigrationRecord, instanceName: string): Promise<string> {
  if (ctx.settings.release === 'kilo-or-later') {
    const viaNova = await abortThroughNova(ctx, m).catch(() => null);
    if (viaNova !== null) return viaNova;
  }
  await ctx.cluster.abortJob(m.source, instanceName);
  return `virsh domjobabort ${instanceName} on ${m.source}`;
}

async function abortThroughNova(ctx: RunnerContext, m: MigrationRecord): Promise<string | null> {
  const migrationId = m.novaMigrationId ?? (await ctx.cluster.currentServerMigration(m.vm.uuid))?.id;
  if (migrationId === undefined) return null;
  await ctx.cluster.abortServerMigration(m.vm.uuid, migrationId);
  return `nova live-migration-abort ${m.vm.uuid} ${migrationId}`;
}

// How a migration that did not succeed ends: find the VM, undo what the attempt left when the VM
// did not move (the destination instance dir livemig or nova created), attach the last lines of
// nova-compute.log from both hosts, and record a message that says where the VM is now.

const logLinesPerHost = 15;

/** Where the VM is, by nova and by libvirt on both hosts ('unknown' when a host did not answer). */
interface Whereabouts {
  novaHost: string | null | 'unknown';
  status: string;
  taskState: string | null;
  onSource: DomainState | 'absent' | 'unknown';
  onDestination: DomainState | 'absent' | 'unknown';
  /** Why a host did not answer, when one did not. */
  silence?: LivemigError;
}

async function locateVm(ctx: RunnerContext, m: MigrationRecord): Promise<Whereabouts> {
  let silence: LivemigError | undefined;
  const unanswered = (error: unknown) => {
    if (isContactLost(error)) silence ??= error;
    return null;
  };
  const server = await ctx.cluster.showServer(m.vm.uuid).catch(unanswered);
  const domain = async (host: string) =>
    m.instanceName === undefined
      ? ('unknown' as const)
      : ((await ctx.cluster.domainState(host, m.instanceName).catch(unanswered)) ?? ('unknown' as const));
  return {
    novaHost: server ? server.host : 'unknown',
    status: server?.status ?? 'unknown',
    taskState: server?.taskState ?? null,
    onSource: await domain(m.source),
    onDestination: await domain(m.destination),
    ...(silence === undefined ? {} : { silence }),
  };
}

/** One sentence for the user: where the VM is now. */
function describeWhereabouts(m: MigrationRecord, w: Whereabouts): string {
  const host = w.novaHost === 'unknown' ? 'an unknown host (nova did not answer)' : (w.novaHost ?? 'no host');
  return `${m.vm.name} is ${w.status} on ${host} by nova; libvirt: ${w.onSource} on ${m.source}, ${w.onDestination} on ${m.destination}.`;
}

/**
 * True when the VM stayed where it was: nova says source with no task in progress, it runs there,
 * and the destination has no domain (an incoming migration shows there as a paused domain).
 */
function stayedOnSource(m: MigrationRecord, w: Whereabouts): boolean {
  return (
    w.novaHost === m.source &&
    w.taskState === null &&
    w.onSource === 'running' &&
    w.onDestination === 'absent'
  );
}

/**
 * Removes the destination instance dir this migration left there when the VM did not move:
 * the one livemig created (patched Icehouse), or the one nova created for the attempt and left
 * behind (Juno and later; a stale dir makes nova refuse every later migration to that host with
 * DestinationDiskExists). On Juno+ the dir is this attempt's because the recheck refuses a
 * destination that already has one; it is only removed when no domain there is defined.
 * Journaled like every side effect; after a restart an earlier removal is reported, not repeated.
 */
async function removeCreatedDir(
  ctx: RunnerContext,
  m: MigrationRecord,
  actor: Actor,
  where: Whereabouts,
): Promise<string | null> {
  if (!leftDirOnDestination(ctx, m, where)) return null;
  const detail = `removed ${ctx.settings.instancesPath}/${m.vm.uuid} from ${m.destination}`;
  if (!(await ctx.cluster.instanceDirExists(m.destination, m.vm.uuid))) {
    // Gone after a restart in the middle of the rollback: report the removal, do not repeat it.
    return stepStatus(m.journal, 'rollback_instance_dir') === 'not_started' ? null : detail;
  }
  await journalStep(ctx.store, m.id, { step: 'rollback_instance_dir', phase: 'started', actor });
  await ctx.cluster.removeInstanceDir(m.destination, m.vm.uuid);
  await journalStep(ctx.store, m.id, { step: 'rollback_instance_dir', phase: 'done', actor, detail });
  return detail;
}

/** True when this migration may have made the destination instance dir (per release and journal). */
function leftDirOnDestination(ctx: RunnerContext, m: MigrationRecord, where: Whereabouts): boolean {
  return (
    mayHaveMadeDir(ctx, m) &&
    (ctx.settings.release === 'icehouse-patched' || where.onDestination === 'absent')
  );
}

/** True when livemig (patched Icehouse) or nova (Juno and later) may have made a dir for this attempt. */
function mayHaveMadeDir(ctx: RunnerContext, m: MigrationRecord): boolean {
  switch (ctx.settings.release) {
    case 'icehouse-patched':
      return stepStatus(m.journal, 'create_instance_dir') !== 'not_started';
    case 'juno':
    case 'kilo-or-later':
      return stepStatus(m.journal, 'live_migrate') !== 'not_started';
    case 'icehouse':
      return false;
  }
}

/** The last nova-compute.log lines of both hosts, labelled by host. */
async function logExcerpt(ctx: RunnerContext, m: MigrationRecord): Promise<string> {
  const parts: string[] = [];
  for (const host of [m.source, m.destination]) {
    const text = await ctx.cluster
      .tailComputeLog(host, logLinesPerHost)
      .catch((error: unknown) => `(could not read nova-compute.log: ${(error as Error).message})`);
    parts.push(`--- ${host}: nova-compute.log ---\n${text.trimEnd()}`);
  }
  return parts.join('\n');
}

/** Ends `m` as failed at `step`: locate, roll back if it did not move, attach logs, record, emit. */
async function settleFailure(
  ctx: RunnerContext,
  m: MigrationRecord,
  step: string | null,
  reason: string,
): Promise<void> {
  const where = await locateVm(ctx, m);
  // Whether this attempt left a dir on the destination is only known once the hosts answer: until
  // then the failure stays unsettled (driveSteps asks again with backoff, a restart reconciles).
  if (where.silence !== undefined && mayHaveMadeDir(ctx, m)) throw where.silence;
  const rolledBack = stayedOnSource(m, where)
    ? await removeCreatedDir(ctx, m, ctx.system, where).catch((error: unknown) => {
        // A failed rollback must not hide the failure being reported; a host that stopped
        // answering means: settle again when it answers.
        if (isContactLost(error)) throw error;
        return null;
      })
    : null;
  const logs = await logExcerpt(ctx, m);
  const message = [
    // A reason may already end a sentence (a check's explanation does): one full stop, not two.
    `Migration of ${m.vm.name} from ${m.source} to ${m.destination} failed${step ? ` at ${step}` : ''}: ${reason.replace(/\.+$/, '')}.`,
    describeWhereabouts(m, where),
    rolledBack ? `Rolled back: ${rolledBack}.` : '',
  ]
    .filter((line) => line !== '')
    .join(' ');
  const error = { message, logExcerpt: logs, ...(step ? { step } : {}) };
  const moved = await transitionMigration(ctx.store, m.id, 'failed', ctx.system, { error }, reason);
  if (moved) emitFor(ctx, moved.record, { kind: 'failed', message, step, logExcerpt: logs });
}

/** Ends `m` as cancelled once the VM is confirmed on the source. */
async function settleCancelled(ctx: RunnerContext, m: MigrationRecord, actor: Actor): Promise<void> {
  const where = await locateVm(ctx, m);
  if (where.silence !== undefined && mayHaveMadeDir(ctx, m)) throw where.silence;
  if (!stayedOnSource(m, where)) {
    await settleFailure(ctx, m, 'cancel', `the cancel could not confirm the VM on ${m.source}`);
    return;
  }
  const rolledBack = await removeCreatedDir(ctx, m, actor, where);
  const message = `Cancelled by ${actor.name ?? actor.id}. ${describeWhereabouts(m, where)}${rolledBack ? ` Rolled back: ${rolledBack}.` : ''}`;
  const moved = await transitionMigration(ctx.store, m.id, 'cancelled', actor, {}, message);
  if (moved) emitFor(ctx, moved.record, { kind: 'cancelled', actor: actor.name ?? actor.id, message });
}
