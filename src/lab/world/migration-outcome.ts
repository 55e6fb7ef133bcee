/**
 * What happens to the VM, its libvirt domain, the instance dirs and the logs when a migration
 * ends: success (with the release's dir rules and the crash of an incompatible guest), failure,
 * cancellation.
 */
import { guestCpuCompatible } from './host-cpu.js';
import {
  findHost,
  instanceDirPath,
  type MigrationStatus,
  type WorldMigration,
  type WorldState,
} from './model.js';
import { appendNovaLog, type LogContext, type LogLevel } from './nova-log.js';
import { sampleCopy } from './physics.js';
import { releaseRules } from './release.js';

const ACTIVE_STATUSES: readonly MigrationStatus[] = ['accepted', 'preparing', 'running', 'post-migrating'];

/** True while the migration still occupies its source host's outbound slot. */
export function isActiveMigration(migration: WorldMigration): boolean {
  return ACTIVE_STATUSES.includes(migration.status);
}

/** Log context of a migration's request. */
function migrationLogContext(state: WorldState, migration: WorldMigration): LogContext {
  const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
  return { requestId: migration.requestId, userId: vm.userId, tenantId: vm.tenantId, instanceUuid: vm.uuid };
}

/** Writes one line to a host's nova-compute.log in the migration's request context. */
export function logMigration(
  state: WorldState,
  migration: WorldMigration,
  host: string,
  atMs: number,
  level: LogLevel,
  logger: string,
  message: string,
): void {
  appendNovaLog(findHost(state, host)!, atMs, level, logger, migrationLogContext(state, migration), message);
}

/** Writes one line of the source's libvirt driver (the copy's own log) in the migration's context. */
export function logSourceDriver(
  state: WorldState,
  migration: WorldMigration,
  atMs: number,
  level: LogLevel,
  message: string,
): void {
  logMigration(state, migration, migration.source, atMs, level, 'nova.virt.libvirt.driver', message);
}

/** The migration failed or was cancelled: the guest keeps running on the source, ACTIVE. */
export function endUnsuccessfully(
  state: WorldState,
  migration: WorldMigration,
  atMs: number,
  status: 'error' | 'failed' | 'cancelled',
): void {
  const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
  recordOutgoingJob(state, migration, atMs, 0);
  migration.status = status;
  migration.updatedMs = atMs;
  vm.taskState = null;
  vm.powerState = 'running';
  logMigration(
    state,
    migration,
    migration.source,
    atMs,
    'ERROR',
    'nova.compute.manager',
    'Live migration failed.',
  );
  startNextQueued(state, migration.source, atMs);
}

/** Switchover done: the domain now runs on the destination (until post-migration finishes). */
export function switchOver(state: WorldState, migration: WorldMigration, atMs: number): void {
  const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
  // A paused guest (no VIR_MIGRATE_LIVE, or force-complete) was down from the pause on.
  const downtimeMs = migration.pausedAtMs === null ? migration.plan!.downtimeMs : atMs - migration.pausedAtMs;
  recordOutgoingJob(state, migration, atMs, downtimeMs);
  migration.status = 'post-migrating';
  migration.updatedMs = atMs;
  vm.host = migration.dest;
  vm.domainId = migration.incomingDomainId;
  vm.powerState = 'running';
  vm.lastJob = vm.lastJob && { ...vm.lastJob, operation: 'Incoming migration', host: migration.dest };
  logSourceDriver(state, migration, atMs, 'INFO', 'Migration operation has completed');
}

/** post_live_migration finished: dirs per release, the guest crashes if the host lacks its CPU. */
export function completeMigration(state: WorldState, migration: WorldMigration, atMs: number): void {
  const rules = releaseRules(state.release);
  const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
  migration.status = 'completed';
  migration.updatedMs = atMs;
  vm.taskState = null;
  if (rules.removesSourceDir) findHost(state, migration.source)!.dirs.delete(instanceDirPath(vm.uuid));
  logMigration(
    state,
    migration,
    migration.dest,
    atMs,
    'INFO',
    'nova.compute.manager',
    `Migrating instance to ${migration.dest} finished successfully.`,
  );
  // What the guest really meets on the destination: KVM emulates x2apic, tsc-deadline, ….
  const verdict = guestCpuCompatible(
    vm.liveCpu,
    findHost(state, migration.dest)!.cpuName,
    'domain-capabilities',
  );
  if (!verdict.compatible) {
    // Nothing stopped the move (patched or host-only check); the guest dies on its first use of
    // an instruction the new host does not have.
    vm.vmState = 'error';
    vm.powerState = 'shutdown';
    vm.domainId = null;
    logMigration(
      state,
      migration,
      migration.dest,
      atMs + 1500,
      'ERROR',
      'nova.compute.manager',
      `Instance crashed after live migration: guest CPU requires features the host lacks: ${verdict.missingFeatures.join(', ')}`,
    );
  }
  startNextQueued(state, migration.source, atMs);
}

/** Hands the source host's outbound slot to the oldest queued migration. */
function startNextQueued(state: WorldState, source: string, atMs: number): void {
  if (state.migrations.some((candidate) => candidate.source === source && isActiveMigration(candidate)))
    return;
  const next = state.migrations.find(
    (candidate) => candidate.source === source && candidate.status === 'queued',
  );
  if (!next) return;
  next.status = 'preparing';
  next.prepareMs = atMs;
  next.updatedMs = atMs;
}

function recordOutgoingJob(
  state: WorldState,
  migration: WorldMigration,
  atMs: number,
  downtimeMs: number,
): void {
  if (!migration.plan || migration.planStartMs === null || migration.copyStartMs === null) return;
  const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
  const sample = sampleCopy(migration.plan, atMs - migration.planStartMs);
  vm.lastJob = {
    operation: 'Outgoing migration',
    host: migration.source,
    elapsedMs: atMs - migration.copyStartMs,
    processedBytes: sample.processedBytes,
    totalBytes: sample.totalBytes,
    downtimeMs: Math.round(downtimeMs),
    iteration: sample.iteration,
    rateBytesPerSec: migration.plan.params.rateBytesPerSec,
    diskBytes: migration.diskBytes,
  };
}
