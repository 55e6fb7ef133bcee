/**
 * The lifecycle of a migration request as one pure transition table. A request walks
 * requested → checking → awaiting_approval → approved; from approved on, its migration record
 * walks preparing → migrating → verifying → cleaning_up → succeeded. The store refuses nothing by
 * itself: every state change in the runner goes through `assertTransition`.
 */
import { LivemigError } from '../../errors.js';
import type { MigrationState, RequestState } from '../../store/types.js';

/** A request's states up to approval, then its migration's: one lifecycle. */
export type LifecycleState = RequestState | MigrationState;

/** Which states may follow which. Terminal states have no successors. */
export const transitions: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  requested: ['checking', 'cancelled', 'failed'],
  // blocked: the pre-flight blocked the request or could not reach the cluster; failed: a restart
  // interrupted the checks.
  checking: ['awaiting_approval', 'blocked', 'failed', 'cancelled'],
  awaiting_approval: ['approved', 'rejected', 'expired', 'cancelled'],
  // failed: the re-check right before the start blocked it.
  approved: ['preparing', 'cancelled', 'failed'],
  preparing: ['migrating', 'failed', 'cancelled'],
  migrating: ['verifying', 'failed', 'cancelled'],
  // succeeded directly when nova cleans up itself (Juno and later) and no cleanup step is planned.
  verifying: ['cleaning_up', 'succeeded', 'failed'],
  cleaning_up: ['succeeded', 'failed'],
  succeeded: [],
  rejected: [],
  expired: [],
  cancelled: [],
  blocked: [],
  failed: [],
};

/** True when nothing follows `state`. */
export function isTerminal(state: LifecycleState): boolean {
  return transitions[state].length === 0;
}

/** True when the table allows `from` → `to`. */
export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return transitions[from].includes(to);
}

/** Throws state_conflict when the table forbids `from` → `to` (a bug or a lost race). */
export function assertTransition(from: LifecycleState, to: LifecycleState, subject: string): void {
  if (!canTransition(from, to)) {
    throw new LivemigError('state_conflict', `${subject} cannot go from ${from} to ${to}`);
  }
}

/** States in which a migration holds its VM and host slots (counts against the limits). */
export const activeMigrationStates: readonly LifecycleState[] = [
  'preparing',
  'migrating',
  'verifying',
  'cleaning_up',
];
