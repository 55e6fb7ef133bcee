/**
 * Pre-flight: may this VM live-migrate to that host now, and how will it go? gather.ts asks the
 * cluster, the rules decide (pure), evaluate.ts sums them up. The runner calls runPreflight again
 * right before migrating, so every decision rests on fresh facts.
 */
import { checkServerName } from '../../cluster/index.js';
import { evaluatePreflight, type PreflightEvaluation } from './evaluate.js';
import type { PreflightFacts } from './facts.js';
import { gatherPreflightFacts, type PreflightContext, type PreflightRequest } from './gather.js';

export type { CheckResult, CheckStatus, PreflightRule } from './check.js';
export {
  evaluatePreflight,
  type PreflightCheck,
  type PreflightEvaluation,
  type PreflightVerdict,
} from './evaluate.js';
export type {
  DirtyRateFact,
  Gathered,
  PreflightFacts,
  PreflightOptions,
  PreflightSettings,
  PreflightTarget,
  SeenDirtyRate,
} from './facts.js';
export { gatherPreflightFacts, type PreflightContext, type PreflightRequest } from './gather.js';
export { lastSeenDirtyRate } from './measure-dirty-rate.js';
export { type MigrationPrediction, migratesLive, predictMigration } from './prediction.js';
export { type PreflightCheckId, preflightRules } from './rules/index.js';

/** The facts and the verdict on them. */
export interface PreflightOutcome extends PreflightEvaluation {
  facts: PreflightFacts;
}

/** Gathers the facts and evaluates them: the whole pre-flight check. */
export async function runPreflight(
  context: PreflightContext,
  request: PreflightRequest,
): Promise<PreflightOutcome> {
  // A name livemig refuses is refused here, before any host is asked, and said so as a local
  // refusal (not as a failed `nova show`), without echoing control characters into headers.
  checkServerName(request.vm);
  const facts = await gatherPreflightFacts(context, request);
  return { ...evaluatePreflight(facts), facts };
}
