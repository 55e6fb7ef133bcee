/**
 * Migration records as nova's API shows them, with live progress from the copy on the lab clock.
 */
import type { ExecReply } from '../../../types.js';
import { currentSample } from '../../migration-progress.js';
import { managementIp, type WorldMigration, type WorldState, type WorldVm } from '../../model.js';
import { apiError } from '../../nova-errors.js';

/** What the migration API reports as *_bytes. */
export interface MigrationBytes {
  total: number;
  processed: number;
  remaining: number;
  diskTotal: number;
  diskProcessed: number;
  diskRemaining: number;
}

/** Memory and disk counters of the migration now (zeros before the copy starts, like nova). */
export function migrationBytes(migration: WorldMigration, vm: WorldVm, nowMs: number): MigrationBytes {
  if (migration.status !== 'running' || !migration.plan) {
    const done = migration.status === 'completed' || migration.status === 'post-migrating';
    const total = vm.flavor.ramMb * 1024 * 1024;
    const disk = migration.diskBytes;
    return done
      ? { total, processed: total, remaining: 0, diskTotal: disk, diskProcessed: disk, diskRemaining: 0 }
      : { total: 0, processed: 0, remaining: 0, diskTotal: 0, diskProcessed: 0, diskRemaining: 0 };
  }
  const sample = currentSample(migration, nowMs);
  return {
    total: sample.totalBytes,
    processed: Math.round(sample.processedBytes),
    remaining: Math.round(sample.remainingBytes),
    diskTotal: sample.diskTotalBytes,
    diskProcessed: sample.diskProcessedBytes,
    diskRemaining: sample.diskTotalBytes - sample.diskProcessedBytes,
  };
}

/** A deterministic uuid for a migration record (API microversion 2.59 shows it). */
export function migrationUuid(migration: WorldMigration): string {
  const hex = migration.requestId.replace(/^req-/, '').replace(/-/g, '');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Headers of the columns {@link migrationHostColumns} fills, as every migration table names them. */
export const MIGRATION_HOST_HEADERS: readonly string[] = [
  'Source Node',
  'Dest Node',
  'Source Compute',
  'Dest Compute',
  'Dest Host',
];

/** Source Node, Dest Node, Source Compute, Dest Compute, Dest Host: as every migration table shows them. */
export function migrationHostColumns(state: WorldState, migration: WorldMigration): string[] {
  return [
    `${migration.source}.example.com`,
    `${migration.dest}.example.com`,
    migration.source,
    migration.dest,
    managementIp(state, migration.dest),
  ];
}

/** True while the copy has not ended (the API lists only these for a server). */
export function inProgress(migration: WorldMigration): boolean {
  return ['queued', 'preparing', 'running', 'post-migrating'].includes(migration.status);
}

/** The in-progress migration `id` of `vm`, or nova's 404. */
export function findInProgress(
  state: WorldState,
  vm: WorldVm,
  id: string,
  requestId: string,
): WorldMigration | ExecReply {
  const migration = state.migrations.find(
    (candidate) => String(candidate.id) === id && candidate.vmUuid === vm.uuid,
  );
  if (!migration || !inProgress(migration)) {
    return apiError(
      'NotFound',
      `In-progress live migration ${id} is not found for server ${vm.uuid}.`,
      requestId,
    );
  }
  return migration;
}
