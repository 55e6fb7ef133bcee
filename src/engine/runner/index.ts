/** The durable migration runner: the API the CLI and the Slack bot drive. */
export { type Admission, admit, type Limits, type SlotHolder } from './admission.js';
export {
  type ApprovalPolicy,
  type DecisionAttempt,
  evaluateDecision,
  expiryFor,
  type PolicyVerdict,
} from './approval-policy.js';
export type { CancelOutcome } from './cancel.js';
export { type ClusterPortOptions, createMigrationCluster } from './cluster-port.js';
export { type RunnerSettings, runnerSettings, systemActor } from './context.js';
export type { MilestoneKind, ProgressEvent, ProgressEventKind, ProgressListener } from './events.js';
export { hasSideEffect, type PlanFacts, type PlannedStep, planSteps, type StepName } from './plan.js';
export type { MigrationCluster, Prechecker, PrecheckInput } from './ports.js';
export { checkSnapshot, createPrechecker } from './preflight-port.js';
export type { RebootOutcome } from './reboot.js';
export type { DecisionOutcome, NewRequest } from './requests.js';
export {
  type ActivityView,
  MigrationRunner,
  type QueuedMigration,
  type ReconcileReport,
  type RunnerDeps,
} from './runner.js';
export { canTransition, isTerminal, type LifecycleState, transitions } from './transitions.js';
