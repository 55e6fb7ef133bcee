/**
 * Whether a running copy converges, read from the copy itself (reference/openstack-libvirt.md §3:
 * without a measured dirty rate, non-convergence shows as `Memory remaining` not shrinking across
 * iterations), and what to do about one that does not. Pure.
 */
import type { ProgressSnapshot } from '../../store/types.js';

/** A copy that reached no new low of memory remaining for this long does not converge. */
export const stallLimitMs = 300_000;
/** A new iteration must start with at least this much less to count as shrinking. */
const shrinkFactor = 0.95;

/** What the copy has shown so far. */
export interface CopyTrend {
  lowestRemainingBytes: number;
  lowestAtMs: number;
  /** Memory remaining at the first sample of each iteration seen. */
  iterationStarts: readonly { iteration: number; remainingBytes: number }[];
}

/** The trend after one more sample. */
export function trackCopy(trend: CopyTrend | null, p: ProgressSnapshot): CopyTrend {
  if (trend === null) {
    return {
      lowestRemainingBytes: p.memoryRemainingBytes,
      lowestAtMs: p.at,
      iterationStarts: [{ iteration: p.iteration, remainingBytes: p.memoryRemainingBytes }],
    };
  }
  const lower = p.memoryRemainingBytes < trend.lowestRemainingBytes;
  const last = trend.iterationStarts.at(-1);
  return {
    lowestRemainingBytes: lower ? p.memoryRemainingBytes : trend.lowestRemainingBytes,
    lowestAtMs: lower ? p.at : trend.lowestAtMs,
    iterationStarts:
      last !== undefined && p.iteration > last.iteration
        ? [
            ...trend.iterationStarts,
            { iteration: p.iteration, remainingBytes: p.memoryRemainingBytes },
          ].slice(-3)
        : trend.iterationStarts,
  };
}

/**
 * Why the copy does not converge, or null while it may: the last two iterations each started
 * with no less memory remaining than the one before, or no new low for stallLimitMs.
 */
export function nonConvergence(trend: CopyTrend, nowMs: number): string | null {
  const starts = trend.iterationStarts;
  if (starts.length === 3 && starts[0]!.iteration >= 1) {
    const [a, b, c] = starts as [
      CopyTrend['iterationStarts'][0],
      CopyTrend['iterationStarts'][0],
      CopyTrend['iterationStarts'][0],
    ];
    if (
      b.remainingBytes > a.remainingBytes * shrinkFactor &&
      c.remainingBytes > b.remainingBytes * shrinkFactor
    ) {
      return `memory remaining did not shrink over iterations ${a.iteration} to ${c.iteration}`;
    }
  }
  if (nowMs - trend.lowestAtMs >= stallLimitMs) {
    return `memory remaining reached no new low for ${Math.round((nowMs - trend.lowestAtMs) / 1000)} s`;
  }
  return null;
}

/**
 * The downtime budget's rule for a copy that does not converge: finish it by pausing the guest
 * only when the requester accepted that pause (and nova can force-complete), else abort it and
 * keep the VM where it runs. Never wait for nova's completion timeout (hours for a large guest).
 */
export function actOnNonConvergence(
  pauseAccepted: boolean,
  canForceComplete: boolean,
): 'force_complete' | 'abort' {
  return pauseAccepted && canForceComplete ? 'force_complete' : 'abort';
}
