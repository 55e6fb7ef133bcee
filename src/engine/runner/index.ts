/**
 * The durable migration runner: the API the CLI and the Slack bot drive. Read in order:
 * transitions.ts (the state table), plan.ts (the steps per nova release), driver.ts (one
 * migration from approved to its end) with copy.ts (the copy: progress, convergence, abort) and
 * settle.ts (how a migration that did not succeed ends), requests.ts (requests and decisions), reboot.ts (hard-reboot
 * requests), runner.ts (the facade: scheduling, limits, reconcile after a restart); context.ts holds
 * what they share, precheck.ts the pre-flight as the runner calls it; the cluster is reached
 * through ../cluster-port.ts, the port the pre-flight uses too.
 */

export { createMigrationCluster, type MigrationCluster } from '../cluster-port.js';
export { type ProgressEvent, type ProgressListener, runnerSettings, systemActor } from './context.js';
export { type PlanFacts, planSteps } from './plan.js';
export { createPrechecker } from './precheck.js';
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
