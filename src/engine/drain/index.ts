/**
 * Maintenance drains: gather.ts asks the cluster once per host, planDrain (pure) decides where
 * every VM on the sources goes, in which order, and what cannot move and why; drains.ts records,
 * approves and carries out a drain durably through the runner; campaigns.ts rolls maintenance
 * over several hosts, one drain at a time.
 */

export {
  type CampaignDecision,
  type CampaignEvent,
  type CampaignSpec,
  Campaigns,
  readyMessage,
} from './campaigns.js';
export {
  type DrainPlanView,
  type DrainSpec,
  describeState,
  isDrainFinished,
  planChanges,
  planView,
} from './drain-record.js';
export { type DrainControl, type DrainDecision, type DrainEvent, Drains } from './drains.js';
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
