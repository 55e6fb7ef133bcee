/**
 * The pre-copy model of a live migration (reference/openstack-libvirt.md §4; Clark et al., NSDI
 * 2005). Pure: the pre-flight check predicts with it, and so can anyone who wants an ETA.
 *
 * Round 0 sends all of RAM; round i re-sends what the guest dirtied while round i-1 was on the
 * wire. As soon as the volume still to send fits the downtime limit, the guest is paused and that
 * volume is sent as the final stop-and-copy round.
 */

/** What the model needs. Rates are bytes per second; memory in bytes. */
export interface PrecopyInput {
  memoryBytes: number;
  /** The usable transfer rate between the two hypervisors. */
  bandwidthBytesPerSec: number;
  /** How fast the guest writes to distinct memory pages. */
  dirtyBytesPerSec: number;
  /** The pause the hypervisor accepts for the final stop-and-copy round. */
  maxDowntimeMs: number;
  /** nova's live_migration_completion_timeout in seconds per GiB of RAM; 0 or absent = no limit. */
  completionTimeoutSecPerGiB?: number;
}

/** Why a migration ends the way the model predicts. */
export type PrecopyOutcome = 'converges' | 'dirty-rate-too-high' | 'completion-timeout' | 'round-limit';

/** The predicted course of the migration. */
export interface PrecopyPrediction {
  converges: boolean;
  outcome: PrecopyOutcome;
  /** Dirty rate divided by bandwidth: below 1 every round is shorter than the one before. */
  rho: number;
  /**
   * Rounds on the wire, the final stop-and-copy round included. Not converging: the rounds begun
   * before the completion timeout (or the model's round limit).
   */
  iterations: number;
  /**
   * Converging: the predicted duration. Otherwise: when nova gives up (the completion timeout),
   * or null when nothing ever stops it.
   */
  totalMs: number | null;
  /**
   * Converging: the stop-and-copy pause. Otherwise: the pause a forced completion would cause
   * (the guest is paused until everything still dirty has been sent).
   */
  downtimeMs: number;
  /**
   * Bytes on the wire by the end, re-sent pages counted again: null when nothing ever stops a
   * migration that does not converge.
   */
  dataSentBytes: number | null;
  /** One sentence a user reads. */
  reason: string;
}

/**
 * Rounds the model runs at most. Only a bound on the computation: with rho < 1 the rounds shrink
 * geometrically, and the completion timeout is what really ends a slow migration.
 */
export const maxPrecopyRounds = 1000;

const gibibyte = 1024 ** 3;
const mebibyte = 1024 ** 2;

/** Predicts duration, downtime and convergence of a pre-copy live migration. */
export function predictPrecopy(input: PrecopyInput): PrecopyPrediction {
  const { memoryBytes, bandwidthBytesPerSec, maxDowntimeMs } = input;
  const dirtyBytesPerSec = Math.max(0, input.dirtyBytesPerSec);
  const rho = dirtyBytesPerSec / bandwidthBytesPerSec;
  const timeoutSecPerGiB = input.completionTimeoutSecPerGiB ?? 0;
  const timeoutMs = timeoutSecPerGiB > 0 ? (timeoutSecPerGiB * 1000 * memoryBytes) / gibibyte : null;
  const msToSend = (bytes: number) => (bytes / bandwidthBytesPerSec) * 1000;

  let remainingBytes = memoryBytes;
  let elapsedMs = 0;
  let sentBytes = 0;
  let rounds = 0;
  while (rounds < maxPrecopyRounds) {
    const roundMs = msToSend(remainingBytes);
    const isFinalRound = roundMs <= maxDowntimeMs;
    // nova aborts once the timeout has passed, even in the middle of the last round.
    if (timeoutMs !== null && elapsedMs + (isFinalRound ? roundMs : 0) > timeoutMs) break;
    rounds += 1;
    if (isFinalRound) {
      return {
        converges: true,
        outcome: 'converges',
        rho,
        iterations: rounds,
        totalMs: elapsedMs + roundMs,
        downtimeMs: roundMs,
        dataSentBytes: sentBytes + remainingBytes,
        reason: `converges after ${rounds} round${rounds === 1 ? '' : 's'} with a ${Math.round(roundMs)} ms pause`,
      };
    }
    elapsedMs += roundMs;
    sentBytes += remainingBytes;
    // The guest cannot dirty more pages than it has.
    remainingBytes = Math.min(memoryBytes, dirtyBytesPerSec * (roundMs / 1000));
  }
  const outcome: Exclude<PrecopyOutcome, 'converges'> =
    rho >= 1 ? 'dirty-rate-too-high' : rounds < maxPrecopyRounds ? 'completion-timeout' : 'round-limit';
  return {
    converges: false,
    outcome,
    rho,
    iterations: rounds,
    totalMs: timeoutMs,
    // A forced completion pauses the guest until everything still dirty has been sent.
    downtimeMs: msToSend(remainingBytes),
    dataSentBytes: timeoutMs === null ? null : (bandwidthBytesPerSec * timeoutMs) / 1000,
    reason: explain(outcome, rho, dirtyBytesPerSec, bandwidthBytesPerSec, elapsedMs, timeoutMs),
  };
}

function explain(
  outcome: Exclude<PrecopyOutcome, 'converges'>,
  rho: number,
  dirtyBytesPerSec: number,
  bandwidthBytesPerSec: number,
  elapsedMs: number,
  timeoutMs: number | null,
): string {
  const rates = `the guest dirties ${mibps(dirtyBytesPerSec)} MiB/s, the link moves ${mibps(bandwidthBytesPerSec)} MiB/s (rho ${rho.toFixed(2)})`;
  if (outcome === 'dirty-rate-too-high') return `never converges: ${rates}`;
  if (outcome === 'completion-timeout') {
    return `does not converge before the completion timeout of ${Math.round((timeoutMs ?? 0) / 1000)} s: ${rates}`;
  }
  return `does not converge within ${maxPrecopyRounds} rounds (${Math.round(elapsedMs / 1000)} s): ${rates}`;
}

function mibps(bytesPerSec: number): string {
  const value = bytesPerSec / mebibyte;
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}
