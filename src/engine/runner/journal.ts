/**
 * Journal and state changes of a migration record. Each helper is one atomic store write that is
 * on disk before it resolves: the runner writes "started" BEFORE it touches the cluster, so after
 * a crash the journal tells which side effects may have happened.
 */
import type { Store } from '../../store/index.js';
import type { Actor, JournalEntry, MigrationRecord, StepPhase } from '../../store/types.js';
import { assertTransition, isTerminal, type LifecycleState } from './transitions.js';

/** How far a step got according to the journal. */
export type StepStatus = 'not_started' | StepPhase;

/** The latest phase journaled for `step` (pure). */
export function stepStatus(journal: readonly JournalEntry[], step: string): StepStatus {
  for (let i = journal.length - 1; i >= 0; i--) {
    const entry = journal[i]!;
    if (entry.step === step) return entry.phase;
  }
  return 'not_started';
}

/** Appends one journal line (and an audit event with the same facts). */
export function journalStep(
  store: Store,
  migrationId: string,
  entry: { step: string; phase: StepPhase; actor: Actor; detail?: string },
  patch: Partial<MigrationRecord> = {},
): Promise<MigrationRecord> {
  return store.updateMigration(migrationId, (current, now) => {
    const line: JournalEntry = { step: entry.step, phase: entry.phase, at: now, actor: entry.actor };
    if (entry.detail !== undefined) line.detail = entry.detail;
    const next: MigrationRecord = { ...current, ...patch, journal: [...current.journal, line] };
    return {
      next,
      value: next,
      audit: [
        {
          actor: entry.actor,
          kind: `step_${entry.phase}`,
          vm: current.vm,
          detail: entry.detail === undefined ? entry.step : `${entry.step}: ${entry.detail}`,
        },
      ],
    };
  });
}

/**
 * Moves a migration to `to` (checked against the transition table) and journals the change.
 * Resolves with the record before and after, or null when the migration already moved on
 * (another caller won the race), so callers never overwrite a newer state.
 */
export function transitionMigration(
  store: Store,
  migrationId: string,
  to: LifecycleState,
  actor: Actor,
  patch: Partial<MigrationRecord> = {},
  detail?: string,
): Promise<{ from: LifecycleState; record: MigrationRecord } | null> {
  return store.updateMigration(migrationId, (current, now) => {
    if (isTerminal(current.state) || current.state === to) return { value: null };
    assertTransition(current.state, to, `migration ${migrationId}`);
    const line: JournalEntry = { step: `state:${to}`, phase: 'done', at: now, actor };
    if (detail !== undefined) line.detail = detail;
    const next: MigrationRecord = {
      ...current,
      ...patch,
      state: to as MigrationRecord['state'],
      journal: [...current.journal, line],
    };
    if (isTerminal(to)) next.finishedAt = now;
    return {
      next,
      value: { from: current.state, record: next },
      audit: [
        { actor, kind: `migration_${to}`, vm: current.vm, ...(detail === undefined ? {} : { detail }) },
      ],
    };
  });
}
