/**
 * The driver: carries one migration from `approved` (or from wherever a restart left it) to a
 * terminal state, walking the plan of plan.ts. For each step: journal "started" (on disk), act,
 * journal "done". A step the journal shows as started but not done is never simply run again:
 * the cluster is asked what happened first. Read top to bottom: the drive loop, then the steps;
 * the copy is in copy.ts, and how a migration that did not succeed ends in settle.ts.
 */
import { isContactLost, LivemigError, userMessage } from '../../errors.js';
import type { MigrationRecord, PlannedStepRecord } from '../../store/types.js';
import {
  type ActiveRun,
  done,
  emitFor,
  failed,
  journalStep,
  type RunnerContext,
  type StepOutcome,
  stepStatus,
  transitionMigration,
} from './context.js';
import { abortCopy, isJobActive, waitForCompletion } from './copy.js';
import { type PlannedStep, planSteps } from './plan.js';
import { settleCancelled, settleFailure } from './settle.js';
import { guardSilentHosts } from './silent-hosts.js';

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
