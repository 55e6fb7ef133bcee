/**
 * The migration lifecycle on the lab clock. State is advanced lazily: every command first calls
 * `settleWorld(state, now)`, which applies, in time order, every transition that became due
 * (accepted -> queued/preparing -> running -> post-migrating -> completed, or a failure).
 */
import {
  completeMigration,
  endUnsuccessfully,
  isActiveMigration,
  logMigration,
  logSourceDriver,
  switchOver,
} from './migration-outcome.js';
import { completionTimeoutSec, copyParams, linkRateBytesPerSec, localDiskBytes } from './migration-plan.js';
import { preparationFailure } from './migration-prepare.js';
import { currentSample, logProgressUntil } from './migration-progress.js';
import { findHost, instanceDirPath, type WorldMigration, type WorldState, type WorldVm } from './model.js';
import { planCopy } from './physics.js';
import { releaseRules } from './release.js';

/** Conductor checks before the cast. */
const ACCEPT_MS = 400;
/** pre_live_migration on the destination (volume connections, networking). */
const PREPARE_MS = 1500;
/** post_live_migration on both hosts. */
const POST_MS = 1200;
/** A failMigrationAt('copying') fault strikes this long into the copy at most. */
const COPY_FAULT_MS = 10_000;

/** Records an accepted request; the caller already ran the pre-checks. */
export function acceptLiveMigration(
  state: WorldState,
  vm: WorldVm,
  dest: string,
  blockMigration: boolean,
  requestId: string,
  nowMs: number,
): WorldMigration {
  const migration: WorldMigration = {
    id: state.nextMigrationId++,
    vmUuid: vm.uuid,
    source: vm.host,
    dest,
    status: 'accepted',
    blockMigration,
    createdMs: nowMs,
    updatedMs: nowMs,
    prepareMs: null,
    copyStartMs: null,
    planStartMs: null,
    plan: null,
    incomingDomainId: null,
    diskBytes: 0,
    loggedProgress: 0,
    fault: state.pendingFaults.get(vm.uuid) ?? null,
    // Without VIR_MIGRATE_LIVE (Icehouse) libvirt pauses the guest for the whole copy, so even a
    // guest dirtying faster than the link (db01) converges, at the price of its downtime.
    paused: !releaseRules(state.release).liveFlag,
    pausedAtMs: null,
    requestId,
  };
  state.pendingFaults.delete(vm.uuid);
  state.migrations.push(migration);
  vm.taskState = 'migrating';
  return migration;
}

interface DueEvent {
  atMs: number;
  apply(): void;
}

/** Applies every transition due at or before `nowMs`, earliest first. */
export function settleWorld(state: WorldState, nowMs: number): void {
  for (;;) {
    let next: DueEvent | null = null;
    for (const migration of state.migrations) {
      const event = dueEvent(state, migration);
      if (event && event.atMs <= nowMs && (!next || event.atMs < next.atMs)) next = event;
    }
    if (!next) break;
    logProgressUntil(state, next.atMs);
    next.apply();
  }
  logProgressUntil(state, nowMs);
}

function dueEvent(state: WorldState, migration: WorldMigration): DueEvent | null {
  switch (migration.status) {
    case 'accepted': {
      const atMs = migration.createdMs + ACCEPT_MS;
      return { atMs, apply: () => leaveAccepted(state, migration, atMs) };
    }
    case 'preparing': {
      const atMs = migration.prepareMs! + PREPARE_MS;
      return { atMs, apply: () => finishPreparing(state, migration, atMs) };
    }
    case 'running':
      return copyEndEvent(state, migration);
    case 'post-migrating': {
      const atMs = migration.updatedMs + POST_MS;
      return { atMs, apply: () => completeMigration(state, migration, atMs) };
    }
    default:
      return null;
  }
}

function leaveAccepted(state: WorldState, migration: WorldMigration, atMs: number): void {
  const busy = state.migrations.some(
    (other) =>
      other !== migration &&
      other.source === migration.source &&
      isActiveMigration(other) &&
      other.status !== 'accepted',
  );
  migration.updatedMs = atMs;
  if (busy) {
    migration.status = 'queued';
    return;
  }
  migration.status = 'preparing';
  migration.prepareMs = atMs;
}

function finishPreparing(state: WorldState, migration: WorldMigration, atMs: number): void {
  const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
  const failure = preparationFailure(state, migration, vm);
  if (failure) {
    logMigration(state, migration, migration.dest, atMs, 'ERROR', 'nova.compute.manager', failure.destLog);
    logMigration(state, migration, migration.source, atMs, 'ERROR', failure.sourceLogger, failure.sourceLog);
    endUnsuccessfully(state, migration, atMs, 'error');
    return;
  }
  const rules = releaseRules(state.release);
  const dest = findHost(state, migration.dest)!;
  if (rules.createsDestDir || migration.blockMigration) {
    dest.dirs.set(instanceDirPath(vm.uuid), { owner: 'nova', group: 'nova', mtimeMs: atMs });
  }
  migration.status = 'running';
  migration.updatedMs = atMs;
  migration.copyStartMs = atMs;
  migration.diskBytes = migration.blockMigration ? localDiskBytes(vm) : 0;
  // The disks are mirrored first (NBD drive-mirror), then the memory pre-copy starts.
  const diskMs = (migration.diskBytes / linkRateBytesPerSec(state, migration.source, migration.dest)) * 1000;
  migration.planStartMs = atMs + diskMs;
  const params = copyParams(state, migration, vm);
  migration.plan = planCopy({ ...params, timeoutMs: params.timeoutMs - diskMs });
  migration.incomingDomainId = state.nextDomainId++;
  if (migration.paused) {
    vm.powerState = 'paused';
    migration.pausedAtMs = atMs;
  }
}

function copyEndEvent(state: WorldState, migration: WorldMigration): DueEvent {
  const plan = migration.plan!;
  const planStart = migration.planStartMs!;
  const fault = migration.fault;
  if (fault?.point === 'copying') {
    const atMs = migration.copyStartMs! + Math.min(COPY_FAULT_MS, plan.switchoverMs / 2);
    if (atMs <= planStart + plan.endMs) {
      return { atMs, apply: () => failCopy(state, migration, atMs, fault.message) };
    }
  }
  if (plan.outcome === 'timeout') {
    const atMs = planStart + plan.endMs;
    return { atMs, apply: () => timeOut(state, migration, atMs) };
  }
  if (fault?.point === 'switchover') {
    const atMs = planStart + plan.switchoverMs;
    return { atMs, apply: () => failCopy(state, migration, atMs, fault.message) };
  }
  const atMs = planStart + plan.endMs;
  return { atMs, apply: () => switchOver(state, migration, atMs) };
}

function failCopy(state: WorldState, migration: WorldMigration, atMs: number, message: string): void {
  logSourceDriver(state, migration, atMs, 'ERROR', `Live Migration failure: ${message}`);
  endUnsuccessfully(state, migration, atMs, 'error');
}

function timeOut(state: WorldState, migration: WorldMigration, atMs: number): void {
  const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
  logSourceDriver(
    state,
    migration,
    atMs,
    'WARNING',
    `Live migration not completed after ${completionTimeoutSec(vm)} sec`,
  );
  cancelCopy(state, migration, atMs);
}

/** nova cancels the copy: the guest stays on the source, the migration ends `cancelled`. */
function cancelCopy(state: WorldState, migration: WorldMigration, atMs: number): void {
  logSourceDriver(state, migration, atMs, 'INFO', 'Migration operation was cancelled');
  endUnsuccessfully(state, migration, atMs, 'cancelled');
}

/** Cancels a running copy (live-migration-abort, virsh domjobabort). False if none is running. */
export function abortMigration(state: WorldState, migration: WorldMigration, nowMs: number): boolean {
  if (migration.status !== 'running') return false;
  cancelCopy(state, migration, nowMs);
  return true;
}

/** Pauses the guest so the copy converges (live-migration-force-complete). False if not running. */
export function forceCompleteMigration(state: WorldState, migration: WorldMigration, nowMs: number): boolean {
  if (migration.status !== 'running') return false;
  const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
  const sample = currentSample(migration, nowMs);
  migration.paused = true;
  migration.pausedAtMs = nowMs;
  const params = copyParams(state, migration, vm);
  migration.plan = planCopy({
    ...params,
    timeoutMs: params.timeoutMs - (nowMs - migration.copyStartMs!),
    initialRemainingBytes: sample.remainingBytes,
    initialProcessedBytes: sample.processedBytes,
    firstIteration: sample.iteration + 1,
  });
  migration.planStartMs = nowMs;
  vm.powerState = 'paused';
  return true;
}

/** The outbound migration of a VM still in flight, if any. */
export function activeMigrationOf(state: WorldState, vmUuid: string): WorldMigration | undefined {
  return state.migrations.find(
    (migration) =>
      migration.vmUuid === vmUuid && (isActiveMigration(migration) || migration.status === 'queued'),
  );
}
