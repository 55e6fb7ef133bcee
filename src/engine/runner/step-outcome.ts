/** The result of one step: expected outcomes are values, so a failed step is data, not a throw. */
import type { MigrationOutcome, MigrationRecord } from '../../store/types.js';
import type { RunnerContext } from './context.js';
import type { MilestoneKind } from './events.js';

export type StepOutcome =
  | { status: 'done'; detail: string; milestone?: MilestoneKind; result?: MigrationOutcome }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' };

/** A migration being driven by this runner. */
export interface ActiveRun {
  ctx: RunnerContext;
  migrationId: string;
  /** The record as last read (refreshed after each write). */
  record(): MigrationRecord;
  /** True once someone asked to cancel. */
  cancelRequested(): boolean;
}

export function done(detail: string, milestone?: MilestoneKind): StepOutcome {
  return milestone === undefined ? { status: 'done', detail } : { status: 'done', detail, milestone };
}

export function failed(message: string): StepOutcome {
  return { status: 'failed', message };
}
