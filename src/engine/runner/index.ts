/**
 * The durable migration runner: the API the CLI and the Slack bot drive. Read in order:
 * transitions.ts (the state table), plan.ts (the steps per nova release), driver.ts (one
 * migration from approved to its end), requests.ts (requests and decisions), reboot.ts (hard-reboot
 * requests), runner.ts (the facade: scheduling, limits, reconcile after a restart); context.ts and
 * ports.ts hold what they share and what they need from outside.
 */

export { type ProgressEvent, type ProgressListener, runnerSettings, systemActor } from './context.js';
export { type PlanFacts, planSteps } from './plan.js';
export { createMigrationCluster, createPrechecker, type MigrationCluster } from './ports.js';
export type { RebootOutcome } from './reboot.js';
export { type CancelOutcome, type DecisionOutcome, evaluateDecision } from './requests.js';
export {
  type ActivityView,
  admit,
  MigrationRunner,
  type QueuedMigration,
  type ReconcileReport,
  type SlotHolder,
} from './runner.js';
export { canTransition, isTerminal, type LifecycleState, transitions } from './transitions.js';
