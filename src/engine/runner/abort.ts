/**
 * Cancelling a copy in flight: through nova on Kilo and later (`nova live-migration-abort`, so
 * nova rolls its own bookkeeping back) when its server-migration API answers, else
 * `virsh domjobabort` on the source; then wait until neither libvirt nor nova reports a
 * migration. Only a copy confirmed stopped lets the caller touch a directory: a migration that
 * may still be writing to the destination's instance dir must keep it.
 */
import type { Actor, MigrationRecord } from '../../store/types.js';
import type { RunnerContext } from './context.js';
import { journalStep } from './journal.js';
import { isJobActive } from './progress.js';

const settlePolls = 30;

/**
 * How an abort ended: the copy stopped with the VM on its source, the copy completed first (the
 * VM moved), or livemig could not confirm that the copy stopped (a host did not answer, or the
 * job kept running).
 */
export type AbortResult = 'stopped' | 'completed' | 'unconfirmed';

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
