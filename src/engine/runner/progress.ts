/** Turns what libvirt and nova report about a running copy into livemig's progress numbers. Pure. */
import type { DomainJobInfo, ServerMigration } from '../../cluster/types.js';
import type { ProgressSnapshot } from '../../store/types.js';

/** libvirt job types that mean a copy is in progress. */
export function isJobActive(job: DomainJobInfo | null): job is DomainJobInfo {
  return job !== null && (job.jobType === 'Unbounded' || job.jobType === 'Bounded');
}

/**
 * The progress snapshot from `virsh domjobinfo` (and, on Kilo and later, nova's own migration
 * record, which fills the memory figures when libvirt leaves them out). The ETA assumes the
 * current bandwidth and dirty rate hold; it is null while the copy cannot converge.
 */
export function toProgress(
  job: DomainJobInfo,
  serverMigration: ServerMigration | null,
  atMs: number,
): ProgressSnapshot {
  const total = job.memoryTotalBytes ?? serverMigration?.memoryTotalBytes ?? 0;
  const remaining = job.memoryRemainingBytes ?? serverMigration?.memoryRemainingBytes ?? 0;
  const processed = job.memoryProcessedBytes ?? serverMigration?.memoryProcessedBytes ?? 0;
  const bandwidth = job.memoryBandwidthBytesPerSec ?? 0;
  const dirtyRate = job.dirtyRateBytesPerSec ?? 0;
  const netRate = bandwidth - dirtyRate;
  return {
    at: atMs,
    memoryProcessedBytes: processed,
    memoryRemainingBytes: remaining,
    memoryTotalBytes: total,
    bandwidthBytesPerSec: bandwidth,
    dirtyRateBytesPerSec: dirtyRate,
    iteration: job.iteration ?? 0,
    expectedDowntimeMs: job.expectedDowntimeMs ?? 0,
    etaMs: netRate > 0 ? Math.round((remaining / netRate) * 1000) : null,
  };
}

/** How long livemig waits for nova to finish a copy of `memoryTotalBytes` before giving up. */
export function completionDeadlineMs(memoryTotalBytes: number, completionTimeoutSecPerGiB: number): number {
  const gib = Math.max(1, Math.ceil(memoryTotalBytes / 2 ** 30));
  // nova aborts on its own after its completion timeout; livemig waits that long plus a margin
  // for the switch-over, and one hour when the timeout is off (0).
  const novaTimeoutMs = completionTimeoutSecPerGiB > 0 ? completionTimeoutSecPerGiB * gib * 1000 : 3_600_000;
  return novaTimeoutMs + 300_000;
}
