import { formatDuration } from '../../../util/format.js';
import { acceptDowntimeFlag, allowedPauseMs, pauseAllowed } from '../../downtime-budget.js';
import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';
import { predictMigration } from '../prediction.js';

const liveFlagFix = 'Set VIR_MIGRATE_LIVE in [libvirt] live_migration_flag on the compute nodes';

/**
 * The predicted pause of a migration that finishes on its own, against the downtime budget (or the
 * longer pause the requester accepted): without VIR_MIGRATE_LIVE that is the whole copy; with it,
 * the final stop-and-copy round. A copy that does not converge is judged by the convergence rule
 * with the same allowance.
 */
export function checkDowntimeBudget(facts: PreflightFacts): CheckResult | null {
  const prediction = predictMigration(facts);
  if (prediction === null || (prediction.live && !prediction.converges)) return null;
  const check = resultFor('downtime-budget', 'Guest pause');
  const pauseMs = prediction.live ? prediction.downtimeMs : (prediction.totalMs ?? 0);
  const allowance = {
    budgetMs: facts.settings.downtimeBudgetMs,
    acceptedMs: facts.target.options.acceptedDowntimeMs,
  };
  if (prediction.live && !prediction.dirtyRateMeasured) {
    // The stop-and-copy round depends on the dirty rate: no number is better than a made-up one.
    return check.pass(
      `Not predictable without the dirty rate; livemig forces no pause above ${formatDuration(allowedPauseMs(allowance))}.`,
    );
  }
  const pause = `~${formatDuration(pauseMs)}`;
  const why = prediction.live
    ? 'the final stop-and-copy round'
    : 'live_migration_flag has no VIR_MIGRATE_LIVE, so the guest is paused for the whole copy';
  const budget = formatDuration(allowance.budgetMs);
  if (!pauseAllowed(pauseMs, allowance)) {
    const accepted =
      allowance.acceptedMs === undefined ? '' : `, and ${formatDuration(allowance.acceptedMs)} was accepted`;
    const accept = `ccept the pause with ${acceptDowntimeFlag(pauseMs)}`;
    const fix = prediction.live
      ? `A${accept}; or migrate when the pause does not matter.`
      : `${liveFlagFix}; or a${accept}; or migrate when the pause does not matter.`;
    return check.block(
      `The guest would be paused ${pause}: ${why}. The downtime budget is ${budget}${accepted}.`,
      fix,
    );
  }
  if (pauseMs > allowance.budgetMs) {
    return check.warn(
      `The guest will be paused ${pause} (${why}): accepted up to ${formatDuration(allowedPauseMs(allowance))} by the requester, above the ${budget} budget.`,
    );
  }
  return check.pass(`Pause ${pause} (${why}), within the ${budget} budget.`);
}
