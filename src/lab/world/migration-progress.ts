/**
 * Progress of a running copy: the counters libvirt and nova report, and nova's periodic
 * "Migration running for N secs" log lines.
 */
import { logSourceDriver } from './migration-outcome.js';
import type { WorldMigration, WorldState } from './model.js';
import { type CopySample, sampleCopy } from './physics.js';

/** nova logs copy progress this often (Liberty and later). */
const PROGRESS_LOG_MS = 60_000;

/** Copy counters of a running migration, memory and (block migration) local disk. */
export interface MigrationSample extends CopySample {
  diskProcessedBytes: number;
  diskTotalBytes: number;
}

/** The copy counters of a running migration now; elapsed counts from the copy's start. */
export function currentSample(migration: WorldMigration, nowMs: number): MigrationSample {
  const plan = migration.plan!;
  const sample = sampleCopy(plan, nowMs - migration.planStartMs!);
  const diskMs = migration.planStartMs! - migration.copyStartMs!;
  const diskShare = diskMs === 0 ? 1 : Math.min(1, (nowMs - migration.copyStartMs!) / diskMs);
  return {
    ...sample,
    elapsedMs: Math.min(nowMs, migration.planStartMs! + plan.endMs) - migration.copyStartMs!,
    diskProcessedBytes: Math.round(migration.diskBytes * diskShare),
    diskTotalBytes: migration.diskBytes,
  };
}

/** Writes nova's once-a-minute progress lines of every running copy up to `untilMs` (Kilo+). */
export function logProgressUntil(state: WorldState, untilMs: number): void {
  if (state.release !== 'kilo-or-later') return;
  for (const migration of state.migrations) {
    if (migration.status !== 'running') continue;
    const end = Math.min(untilMs, migration.planStartMs! + migration.plan!.endMs);
    while (migration.copyStartMs! + (migration.loggedProgress + 1) * PROGRESS_LOG_MS <= end) {
      migration.loggedProgress++;
      const atMs = migration.copyStartMs! + migration.loggedProgress * PROGRESS_LOG_MS;
      const sample = currentSample(migration, atMs);
      const percent = Math.round((sample.remainingBytes / sample.totalBytes) * 100);
      logSourceDriver(
        state,
        migration,
        atMs,
        'INFO',
        `Migration running for ${migration.loggedProgress * 60} secs, memory ${percent}% remaining; (bytes processed=${Math.round(sample.processedBytes)}, remaining=${Math.round(sample.remainingBytes)}, total=${sample.totalBytes})`,
      );
    }
  }
}
