/**
 * The `wait_for_completion` step: follows the copy until nova reports the VM on the destination,
 * polling `virsh domjobinfo` on the source (and nova's migration record on Kilo and later) every
 * limits.migrationPollIntervalMs of the injected clock. Read-only, so after a restart it simply
 * runs again.
 */
import type { DomainJobInfo, ServerMigration } from '../../cluster/types.js';
import type { ProgressSnapshot } from '../../store/types.js';
import { pauseAllowed } from '../downtime-budget.js';
import { abortCopy } from './abort.js';
import { actOnNonConvergence, type CopyTrend, nonConvergence, trackCopy } from './convergence.js';
import { emitFor } from './emit.js';
import { journalStep, stepStatus } from './journal.js';
import { completionDeadlineMs, isJobActive, toProgress } from './progress.js';
import { type ActiveRun, failed, type StepOutcome } from './step-outcome.js';

export async function waitForCompletion(run: ActiveRun): Promise<StepOutcome> {
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
    ctx.hooks.atStepBoundary?.({ migrationId: m.id, step: 'wait_for_completion', moment: 'between_polls' });
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
      await ctx.store.updateMigration(m.id, (current) => ({
        next: { ...current, progress },
        value: undefined,
      }));
      emitFor(ctx, run.record(), { kind: 'progress', ...withoutAt(progress) });
      trend = trackCopy(trend, progress);
      const stalled = nonConvergence(trend, clock.now());
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
  const boundary = { migrationId: m.id, step: 'force_complete' };
  ctx.hooks.atStepBoundary?.({ ...boundary, moment: 'before_side_effect' });
  await ctx.cluster.forceComplete(m.vm.uuid, migrationId);
  ctx.hooks.atStepBoundary?.({ ...boundary, moment: 'after_side_effect' });
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
