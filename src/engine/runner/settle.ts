/**
 * How a migration that did not succeed ends (called by driver.ts): find the VM, undo what the
 * attempt left when the VM did not move (the destination instance dir livemig or nova created), attach the nova-compute.log lines of both hosts, and
 * record a message that says where the VM is now.
 */
import type { DomainState } from '../../cluster/types.js';
import { isContactLost, type LivemigError } from '../../errors.js';
import type { Actor, MigrationRecord } from '../../store/types.js';
import { emitFor, journalStep, type RunnerContext, stepStatus, transitionMigration } from './context.js';

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
export async function settleFailure(
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
export async function settleCancelled(ctx: RunnerContext, m: MigrationRecord, actor: Actor): Promise<void> {
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
