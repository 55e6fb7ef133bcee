/**
 * Cancelling a copy in flight: through nova on Kilo and later (`nova live-migration-abort`, so
 * nova rolls its own bookkeeping back), else `virsh domjobabort` on the source; then wait until
 * neither libvirt nor nova reports a migration.
 */
import type { Actor, MigrationRecord } from '../../store/types.js';
import type { RunnerContext } from './context.js';
import { journalStep } from './journal.js';
import { isJobActive } from './progress.js';

const settlePolls = 30;

/** Aborts the copy of `m`; resolves once it stopped, telling whether the VM moved anyway. */
export async function abortCopy(
  ctx: RunnerContext,
  m: MigrationRecord,
  actor: Actor,
): Promise<'stopped' | 'completed'> {
  const instanceName = m.instanceName!;
  if (isJobActive(await ctx.cluster.jobInfo(m.source, instanceName).catch(() => null))) {
    await journalStep(ctx.store, m.id, { step: 'abort', phase: 'started', actor });
    ctx.hooks.atStepBoundary?.({ migrationId: m.id, step: 'abort', moment: 'before_side_effect' });
    const how = await sendAbort(ctx, m, instanceName);
    ctx.hooks.atStepBoundary?.({ migrationId: m.id, step: 'abort', moment: 'after_side_effect' });
    await journalStep(ctx.store, m.id, { step: 'abort', phase: 'done', actor, detail: how });
  }
  for (let poll = 0; poll < settlePolls; poll++) {
    const job = await ctx.cluster.jobInfo(m.source, instanceName).catch(() => null);
    const server = await ctx.cluster.showServer(m.vm.uuid);
    if (!isJobActive(job) && server.taskState === null) {
      return server.host === m.destination ? 'completed' : 'stopped';
    }
    await ctx.clock.sleep(ctx.settings.limits.migrationPollIntervalMs);
  }
  return 'stopped';
}

async function sendAbort(ctx: RunnerContext, m: MigrationRecord, instanceName: string): Promise<string> {
  if (ctx.settings.release === 'kilo-or-later') {
    const migrationId = m.novaMigrationId ?? (await ctx.cluster.currentServerMigration(m.vm.uuid))?.id;
    if (migrationId !== undefined) {
      await ctx.cluster.abortServerMigration(m.vm.uuid, migrationId);
      return `nova live-migration-abort ${m.vm.uuid} ${migrationId}`;
    }
  }
  await ctx.cluster.abortJob(m.source, instanceName);
  return `virsh domjobabort ${instanceName} on ${m.source}`;
}
