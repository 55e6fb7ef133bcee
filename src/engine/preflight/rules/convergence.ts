import { formatBytes, formatDuration } from '../../../util/format.js';
import { acceptDowntimeFlag, allowedPauseMs, pauseAllowed } from '../../downtime-budget.js';
import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';
import { predictMigration } from '../prediction.js';

/**
 * The pre-copy model's verdict: a migration that cannot converge is blocked before it starts,
 * unless the user accepts forcing it to complete (a pause of the guest).
 */
export function checkConvergence(facts: PreflightFacts): CheckResult | null {
  const prediction = predictMigration(facts);
  if (prediction === null) return null;
  const check = resultFor('convergence', 'Predicted duration');
  if (!prediction.live) {
    // The guest is paused for the copy, so its dirty rate does not matter (migration-flags warns).
    return check.pass(
      `~${formatDuration(prediction.totalMs ?? 0)} with the guest paused throughout (${formatBytes(prediction.memoryBytes)} RAM over ${prediction.bandwidthMiBps} MiB/s, no VIR_MIGRATE_LIVE).`,
    );
  }
  if (facts.dirtyRate.state === 'unknown') {
    // Without a measured dirty rate no prediction is a fact: say what is known, and where it ends.
    const edge = prediction.maxConvergingDirtyRateMiBps ?? 0;
    return check.warn(
      `Dirty rate unknown (${facts.dirtyRate.reason}). ${formatBytes(prediction.memoryBytes)} RAM over ${prediction.bandwidthMiBps} MiB/s takes at least ~${formatDuration(prediction.totalMs ?? 0)}; ` +
        `the copy converges only while the guest dirties less than ~${edge} MiB/s, and its own progress (virsh domjobinfo) will show whether it does.`,
      `If the guest writes heavily (a busy database), migrate it in a quiet hour; libvirt 7.2 or later can measure the rate beforehand (virsh domdirtyrate-calc).`,
    );
  }
  const inputs = `${formatBytes(prediction.memoryBytes)} RAM over ${prediction.bandwidthMiBps} MiB/s, dirtying ${dirtyRateText(facts)}`;
  if (prediction.converges) {
    const course = `~${formatDuration(prediction.totalMs ?? 0)} in ${prediction.iterations} round${prediction.iterations === 1 ? '' : 's'}, pause ~${formatDuration(prediction.downtimeMs)} (${inputs}).`;
    return check.pass(course);
  }
  const pause = formatDuration(prediction.downtimeMs);
  const end =
    prediction.totalMs === null
      ? 'Nothing stops it: it would run until cancelled.'
      : `nova aborts it after ${formatDuration(prediction.totalMs)} (live_migration_completion_timeout).`;
  const explanation = `${capitalize(prediction.reason)}. ${end} (${inputs}.)`;
  const allowance = {
    budgetMs: facts.settings.downtimeBudgetMs,
    acceptedMs: facts.target.options.acceptedDowntimeMs,
  };
  // One rule for every pause (downtime-budget.ts): forcing completion is allowed when its pause fits.
  if (pauseAllowed(prediction.downtimeMs, allowance)) {
    return check.warn(
      `${explanation} livemig forces completion: the guest will be paused for ~${pause} while the rest is copied (allowed: up to ${formatDuration(allowedPauseMs(allowance))}).`,
    );
  }
  return check.block(
    `${explanation} Forcing completion would pause the guest ~${pause}, above the ${formatDuration(allowance.budgetMs)} downtime budget.`,
    `Lower the guest's write load; or accept the pause with ${acceptDowntimeFlag(prediction.downtimeMs)}; or migrate in a quiet hour.`,
  );
}

/** The rate, and where it comes from when it was not measured just now. */
function dirtyRateText(facts: PreflightFacts): string {
  const rate = facts.dirtyRate;
  if (rate.state !== 'observed') return `${rate.state === 'measured' ? rate.mibPerSec : 0} MiB/s`;
  const when = new Date(rate.seen.at).toISOString().slice(0, 16).replace('T', ' ');
  // Derived from sent and remaining, a copy that never shrank shows only "at least the link".
  const how = rate.seen.source === 'libvirt' ? 'libvirt' : 'memory sent and remaining';
  const seen = rate.seen.didNotConverge
    ? `at least ~${rate.mibPerSec} MiB/s: ${rate.seen.migrationId}'s copy at ${when} UTC did not converge (${rate.seen.didNotConverge})`
    : `~${rate.mibPerSec} MiB/s as seen during ${rate.seen.migrationId}'s copy at ${when} UTC`;
  return `${seen} (${how}; it cannot be measured now: ${rate.unmeasured})`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
