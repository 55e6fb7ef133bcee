/**
 * Cancelling by id: a request before approval is cancelled at once; a queued migration is
 * cancelled without touching the cluster; a running one gets a cancel request that the driving
 * runner acts on (abort, confirm the VM on its source). Stored on the record, so a restart
 * honours it too.
 */
import type { Actor, MigrationRecord } from '../../store/types.js';
import type { RunnerContext } from './context.js';
import { emitFor } from './emit.js';
import { transitionMigration } from './journal.js';
import { advanced } from './requests.js';
import { isTerminal } from './transitions.js';

export type CancelOutcome =
  | {
      outcome: 'cancelled';
      message: string;
      /** The migration, when a queued one was cancelled. */
      migration?: MigrationRecord;
    }
  /** The migration is in flight: the abort was requested and runs now. */
  | { outcome: 'cancelling'; migrationId: string; message: string }
  | { outcome: 'refused'; code: 'not_found' | 'already_finished'; message: string };

/** Cancels request or migration `id`; `isDriving` tells whether this runner already drives a migration. */
export async function cancelById(
  ctx: RunnerContext,
  id: string,
  actor: Actor,
  isDriving: (migrationId: string) => boolean,
): Promise<CancelOutcome> {
  const { store } = ctx;
  const request = store.getRequest(id) ?? store.listRequests((r) => r.migrationId === id)[0];
  if (!request) return { outcome: 'refused', code: 'not_found', message: `no request or migration ${id}` };
  if (!request.migrationId) {
    return store.updateRequest<CancelOutcome>(request.id, (current, now) => {
      if (isTerminal(current.state)) {
        return {
          value: {
            outcome: 'refused',
            code: 'already_finished',
            message: `the request is already ${current.state}`,
          },
        };
      }
      const decisions = [...current.decisions, { kind: 'cancelled' as const, actor, at: now }];
      return {
        next: advanced(current, 'cancelled', now, { decisions }),
        value: { outcome: 'cancelled', message: `request ${current.id} cancelled` },
        audit: [{ actor, kind: 'cancelled', vm: current.vm }],
      };
    });
  }
  const migrationId = request.migrationId;
  const m = store.getMigration(migrationId);
  if (!m || isTerminal(m.state)) {
    return {
      outcome: 'refused',
      code: 'already_finished',
      message: `the migration is already ${m?.state ?? 'gone'}`,
    };
  }
  if (m.state === 'approved' && !isDriving(migrationId)) {
    const moved = await transitionMigration(
      store,
      migrationId,
      'cancelled',
      actor,
      {},
      'cancelled while queued',
    );
    if (moved) {
      const message = 'cancelled while queued; nothing was changed';
      emitFor(ctx, moved.record, { kind: 'cancelled', actor: actor.name ?? actor.id, message });
      return {
        outcome: 'cancelled',
        message: `migration ${migrationId} ${message}`,
        migration: moved.record,
      };
    }
  }
  await store.updateMigration(migrationId, (current) =>
    current.cancelRequestedBy
      ? { value: undefined }
      : {
          next: { ...current, cancelRequestedBy: actor },
          value: undefined,
          audit: [{ actor, kind: 'cancel_requested', vm: current.vm }],
        },
  );
  return {
    outcome: 'cancelling',
    migrationId,
    message: `aborting migration ${migrationId}; the VM stays on ${m.source}`,
  };
}
