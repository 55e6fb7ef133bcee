import { formatBytes, formatDuration } from '../../../util/format.js';
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
  const inputs = `${formatBytes(prediction.memoryBytes)} RAM over ${prediction.bandwidthMiBps} MiB/s, dirtying ${prediction.dirtyRateMiBps} MiB/s`;
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
  if (facts.target.options.allowForceComplete) {
    return check.warn(
      `${explanation} You accepted forcing completion: the guest will be paused for ~${pause} while the rest is copied.`,
    );
  }
  return check.block(
    explanation,
    `Lower the guest's write load (or migrate in a quiet hour), or accept a ~${pause} pause with --allow-force-complete.`,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
