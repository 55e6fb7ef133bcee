/**
 * Drives one migration from `approved` (or from wherever a restart left it) to a terminal state:
 * for each planned step, journal "started" (on disk), act, journal "done". A step that the
 * journal shows as started but not done is never simply run again: `resolveInterrupted` asks the
 * cluster what happened first.
 */
import { userMessage } from '../../errors.js';
import type { MigrationRecord, PlannedStepRecord } from '../../store/types.js';
import { abortCopy } from './abort.js';
import { type RunnerContext, RunnerCrash } from './context.js';
import { emitFor } from './emit.js';
import { executeStep } from './execute-step.js';
import { journalStep, stepStatus, transitionMigration } from './journal.js';
import { type PlannedStep, planSteps } from './plan.js';
import { isJobActive } from './progress.js';
import { settleCancelled, settleFailure } from './settle.js';
import type { ActiveRun, StepOutcome } from './step-outcome.js';

export interface DriveControl {
  /** True when the runner was started by reconcile() after a restart. */
  resumed: boolean;
}

/** Runs migration `migrationId` to its end. Only a RunnerCrash (tests) escapes. */
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
  let step: string | null = null;
  try {
    // A queued migration found after a restart starts normally: nothing of it has happened yet.
    const resumed = control.resumed && run.record().state !== 'approved';
    if (run.record().state === 'approved') await start(run);
    const settling = run.record().journal.some((e) => e.step === 'settle');
    if (settling) {
      const m = run.record();
      return await settleFailure(ctx, m, m.error?.step ?? null, settleReason(m));
    }
    const plan = run.record().plan;
    for (let i = 0; i < plan.length; ) {
      const planned = plan[i]!;
      step = planned.name;
      const outcome = await runStep(run, planned, resumed);
      if (outcome.status === 'failed') return await fail(run, planned.name, outcome.message);
      // A cancel that came too late (the copy completed) lets the same step run again.
      if (outcome.status === 'cancelled' && (await cancel(run))) return;
      if (outcome.status === 'done') i++;
    }
    await finish(run);
  } catch (error) {
    if (error instanceof RunnerCrash) throw error;
    await fail(run, step, userMessage(error));
  }
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
  const boundary = { migrationId: run.migrationId, step: planned.name };
  await journalStep(ctx.store, run.migrationId, { step: planned.name, phase: 'started', actor });
  ctx.hooks.atStepBoundary?.({ ...boundary, moment: 'before_side_effect' });
  const outcome = await executeStep(planned as PlannedStep, run);
  ctx.hooks.atStepBoundary?.({ ...boundary, moment: 'after_side_effect' });
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

/** Handles a cancel; true when the migration ended, false when the copy completed first. */
async function cancel(run: ActiveRun): Promise<boolean> {
  const { ctx } = run;
  const m = run.record();
  const actor = m.cancelRequestedBy ?? ctx.system;
  if (stepStatus(m.journal, 'live_migrate') !== 'not_started') {
    const result = await abortCopy(ctx, m, actor);
    if (result === 'completed') {
      await ctx.store.updateMigration(m.id, (current) => {
        const { cancelRequestedBy: _ignored, ...rest } = current;
        return {
          next: rest,
          value: undefined,
          audit: [{ actor, kind: 'cancel_too_late', vm: m.vm, detail: 'the copy had completed' }],
        };
      });
      return false;
    }
  }
  await settleCancelled(ctx, run.record(), actor);
  return true;
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
  run.ctx.hooks.atStepBoundary?.({
    migrationId: run.migrationId,
    step: 'settle',
    moment: 'before_side_effect',
  });
  await settleFailure(run.ctx, run.record(), step, reason);
}

async function finish(run: ActiveRun): Promise<void> {
  const m = run.record();
  const result = m.result ?? {
    durationMs: run.ctx.clock.now() - (m.startedAt ?? m.createdAt),
    downtimeMs: null,
    dataSentBytes: null,
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
