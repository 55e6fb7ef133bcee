/**
 * Maintenance drains: gather.ts asks the cluster once per host, planDrain (pure) decides where
 * every VM on the sources goes, in which order, and what cannot move and why.
 */
export {
  type AssignedLoad,
  composePreflightFacts,
  type DomainMismatch,
  type DrainFacts,
  type DrainHostFacts,
  type DrainVmFacts,
} from './facts.js';
export { type DrainContext, type DrainGatherRequest, gatherDrainFacts } from './gather.js';
export {
  type DrainAssignment,
  type DrainBlocker,
  type DrainLimits,
  type DrainLowerBound,
  type DrainPlan,
  type DrainPlanOptions,
  type DrainVmRef,
  planDrain,
  type UnmovableReason,
  type UnmovableVm,
} from './plan.js';
export {
  type DrainMove,
  type DrainRunOptions,
  type DrainRunResult,
  type DrainRunServices,
  runDrain,
  type SourceAfterDrain,
} from './run.js';
