/**
 * Whether a running copy converges, read from the copy itself (reference/openstack-libvirt.md §3:
 * without a measured dirty rate, non-convergence shows as `Memory remaining` not shrinking across
 * iterations), and what to do about one that does not. Pure.
 */
import type { ObservedDirtyRate, ProgressSnapshot } from '../../store/types.js';

/** A copy that reached no new low of memory remaining for this long does not converge. */
export const stallLimitMs = 300_000;
/** A new iteration must start with at least this much less to count as shrinking. */
const shrinkFactor = 0.95;

/** What the copy has shown so far. */
export interface CopyTrend {
  lowestRemainingBytes: number;
  lowestAtMs: number;
  /** Memory remaining (and sent so far) at the first sample of each iteration seen. */
  iterationStarts: readonly IterationStart[];
  /** The copy's first sample. */
  first: IterationStart;
}

interface IterationStart {
  iteration: number;
  remainingBytes: number;
  processedBytes: number;
  at: number;
}

function iterationStart(p: ProgressSnapshot): IterationStart {
  return {
    iteration: p.iteration,
    remainingBytes: p.memoryRemainingBytes,
    processedBytes: p.memoryProcessedBytes,
    at: p.at,
  };
}

/** The trend after one more sample. */
export function trackCopy(trend: CopyTrend | null, p: ProgressSnapshot): CopyTrend {
  if (trend === null) {
    return {
      lowestRemainingBytes: p.memoryRemainingBytes,
      lowestAtMs: p.at,
      iterationStarts: [iterationStart(p)],
      first: iterationStart(p),
    };
  }
  const lower = p.memoryRemainingBytes < trend.lowestRemainingBytes;
  const last = trend.iterationStarts.at(-1);
  return {
    lowestRemainingBytes: lower ? p.memoryRemainingBytes : trend.lowestRemainingBytes,
    lowestAtMs: lower ? p.at : trend.lowestAtMs,
    iterationStarts:
      last !== undefined && p.iteration > last.iteration
        ? [...trend.iterationStarts, iterationStart(p)].slice(-3)
        : trend.iterationStarts,
    first: trend.first,
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
 * The guest's dirty rate as this copy shows it, remembered so that the next pre-flight of the VM
 * on a host whose libvirt cannot measure it beforehand (before 7.2) has a number, not a guess.
 * libvirt 1.3.1 and later report it in `virsh domjobinfo`. Older ones only count memory sent and
 * remaining; since remaining = remaining before - sent + newly dirtied, the memory dirtied since
 * the first sample is (sent + change in remaining). QEMU recounts dirty pages once per iteration,
 * so the window ends at the last iteration start when libvirt reports iterations (1.3.1), and is
 * long enough for the count to lag little otherwise. A copy that does not shrink shows about the
 * link's speed this way: the guest dirties at least that fast. Null before there is a number.
 */
export function observedDirtyRate(
  trend: CopyTrend,
  latest: ProgressSnapshot,
  stalled: string | null,
): ObservedDirtyRate | null {
  const lastStart = trend.iterationStarts.at(-1)!;
  const end = lastStart.iteration > trend.first.iteration ? lastStart : iterationStart(latest);
  const seconds = (end.at - trend.first.at) / 1000;
  const window = seconds >= minimumWindowSec ? seconds : null;
  const reported = latest.dirtyRateBytesPerSec;
  const derived =
    window === null
      ? null
      : (end.processedBytes -
          trend.first.processedBytes +
          (end.remainingBytes - trend.first.remainingBytes)) /
        window;
  const rate = reported > 0 ? reported : derived;
  if (rate === null) return null;
  const source = reported > 0 ? ('libvirt' as const) : ('copy' as const);
  if (stalled === null) return { bytesPerSec: Math.max(0, Math.round(rate)), at: latest.at, source };
  // A copy that does not converge means the guest dirties about as fast as the copy moves memory
  // or faster, whatever the counters undercount (pages dirtied again while still waiting).
  const copied = window === null ? 0 : (end.processedBytes - trend.first.processedBytes) / window;
  return {
    bytesPerSec: Math.round(Math.max(rate, copied)),
    at: latest.at,
    source,
    didNotConverge: stalled,
  };
}

/** Shorter windows than this say more about when QEMU last recounted than about the guest. */
const minimumWindowSec = 30;

/**
 * The downtime budget's rule for a copy that does not converge: finish it by pausing the guest
 * only when that pause fits the budget or what the requester accepted (downtime-budget.ts's
 * pauseAllowed) and nova can force-complete, else abort it and
 * keep the VM where it runs. Never wait for nova's completion timeout (hours for a large guest).
 */
export function actOnNonConvergence(
  pauseAccepted: boolean,
  canForceComplete: boolean,
): 'force_complete' | 'abort' {
  return pauseAccepted && canForceComplete ? 'force_complete' : 'abort';
}
