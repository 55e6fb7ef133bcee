/**
 * The copy: the `wait_for_completion` step follows it until nova reports the VM on the
 * destination (progress, convergence, force-complete), and abortCopy stops one in flight (cancel,
 * non-convergence). Called by driver.ts.
 */
import type { DomainJobInfo, ServerMigration } from '../../cluster/types.js';
import type { Actor, MigrationRecord, ProgressSnapshot } from '../../store/types.js';
import { pauseAllowed } from '../downtime-budget.js';
import {
  type ActiveRun,
  emitFor,
  failed,
  journalStep,
  type RunnerContext,
  type StepOutcome,
  stepStatus,
} from './context.js';
import {
  actOnNonConvergence,
  type CopyTrend,
  nonConvergence,
  observedDirtyRate,
  trackCopy,
} from './convergence.js';

// The `wait_for_completion` step: follows the copy until nova reports the VM on the destination,
// polling `virsh domjobinfo` on the source (and nova's migration record on Kilo and later) every
// limits.migrationPollIntervalMs of the injected clock. Read-only, so after a restart it simply
// runs again.

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
export function isJobActive(job: DomainJobInfo | null): job is DomainJobInfo {
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
export async function abortCopy(ctx: RunnerContext, m: MigrationRecord, actor: Actor): Promise<AbortResult> {
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
