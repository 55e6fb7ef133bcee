/** `cancel ID`: cancels a request, a queued migration, or aborts a running one (the VM stays on its source). */
import type { CancelOutcome } from '../src/engine/runner/index.js';
import type { MigrationRecord } from '../src/store/types.js';
import type { Caller, CommandImpl, RunnerServices } from './types.js';

export interface CancelRequest {
  /** A request id (req-…) or a migration id (mig-…). */
  id: string;
}

export interface CancelResult {
  kind: 'cancel';
  outcome: CancelOutcome['outcome'];
  message: string;
  /** The migration as it ended, when a running one was aborted. */
  migration: MigrationRecord | null;
}

/**
 * Cancels as the caller: the requester of the request (or of the migration's request) may, and
 * approvers may cancel anything. A running copy is aborted and the VM confirmed on its source.
 */
export const cancelCommand: CommandImpl<CancelRequest, CancelResult, 'runner'> = {
  needs: 'runner',
  parse: (input) => ({ id: input.args[0]! }),
  async run(request, services, caller) {
    const { runner } = services;
    const { actor } = caller;
    if (request.id.startsWith('drn-') || request.id.startsWith('mnt-'))
      return cancelDrainOrCampaign(services, request.id, caller);
    if (!caller.mayApprove) {
      const requester = runner.requesterOf(request.id);
      if (requester === null)
        return refused(`There is no request or migration ${request.id}. \`status\` lists them.`);
      if (!requesterOrApprover(requester, caller))
        return refused('Only the requester or an approver may cancel this.');
    }
    const outcome = await runner.cancel(request.id, actor);
    if (outcome.outcome !== 'cancelling')
      return { kind: 'cancel', outcome: outcome.outcome, message: outcome.message, migration: null };
    if (caller.surface === 'slack')
      return { kind: 'cancel', outcome: 'cancelling', message: outcome.message, migration: null };
    // This process drives the migration now (reconcile picked it up): wait for the abort to land.
    const migration = await runner.waitForMigration(outcome.migrationId);
    const message =
      migration.state === 'cancelled'
        ? `${migration.vm.name} stays on ${migration.source}: migration ${migration.id} cancelled`
        : `migration ${migration.id} ended ${migration.state}: ${migration.error?.message ?? 'the copy had already completed'}`;
    return {
      kind: 'cancel',
      outcome: migration.state === 'cancelled' ? 'cancelled' : 'refused',
      message,
      migration,
    };
  },
  renderText: (result) => `${result.message}\n`,
  exitCode: (result) => (result.outcome === 'cancelled' ? 0 : 1),
};

/**
 * A drain: nothing new starts and its running moves are aborted (each VM stays on its source); a
 * campaign: its host's drain is cancelled the same way and no further host starts. The requester
 * or an approver may.
 */
async function cancelDrainOrCampaign(
  { drains, campaigns }: RunnerServices,
  id: string,
  caller: Caller,
): Promise<CancelResult> {
  const record = id.startsWith('drn-') ? drains.get(id) : campaigns.get(id);
  if (!record) return refused(`There is no drain or maintenance ${id}. \`status\` lists them.`);
  if (!requesterOrApprover(record.requester, caller))
    return refused('Only the requester or an approver may cancel this.');
  if (id.startsWith('mnt-')) {
    const outcome = await campaigns.cancel(id, caller.actor);
    return {
      kind: 'cancel',
      outcome: outcome.outcome === 'cancelled' ? 'cancelled' : 'refused',
      message: outcome.message,
      migration: null,
    };
  }
  const outcome = await drains.cancel(id, caller.actor);
  if (outcome.outcome === 'refused') return refused(outcome.message);
  if (caller.surface === 'slack' || outcome.drain.state === 'cancelled')
    return {
      kind: 'cancel',
      outcome: outcome.drain.state === 'cancelled' ? 'cancelled' : 'cancelling',
      message: outcome.message,
      migration: null,
    };
  // This process drives the drain now: wait for its running moves to be aborted.
  const ended = await drains.settled(id);
  const moved = ended.moves.filter((m) => m.state === 'succeeded').length;
  return {
    kind: 'cancel',
    outcome: ended.state === 'cancelled' ? 'cancelled' : 'refused',
    message: `Drain ${id} ${ended.state}: ${moved} of ${ended.moves.length} move(s) had finished; the others stay on their sources.`,
    migration: null,
  };
}

/** Who may cancel (and pause, resume, say Done to) something: an approver, or its requester. */
export function requesterOrApprover(requester: { id: string }, caller: Caller): boolean {
  return caller.mayApprove || (caller.mayRequest && requester.id === caller.actor.id);
}

function refused(message: string): CancelResult {
  return { kind: 'cancel', outcome: 'refused', message, migration: null };
}
