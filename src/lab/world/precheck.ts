/**
 * The synchronous part of `nova live-migration`: what the API, the conductor and the two compute
 * services check before the migration is cast (reference §1-2). A refusal is the CLI's answer;
 * null means nova accepted the request.
 */
import type { ExecReply } from '../types.js';
import { guestCpuCompatible, hostCpuCompatible } from './host-cpu.js';
import { findHost, type WorldState, type WorldVm } from './model.js';
import {
  apiError,
  INVALID_CPU_INFO,
  invalidLocalStorage,
  invalidSharedStorage,
  NO_BLOCK_MIGRATION_FOR_CONFIG_DRIVE,
  NO_LIVE_MIGRATION_FOR_CONFIG_DRIVE,
  remoteError,
} from './nova-errors.js';
import { appendNovaLog } from './nova-log.js';
import { releaseRules } from './release.js';

/** RAM already promised to the instances on `host`, MiB. */
export function usedRamMb(state: WorldState, host: string): number {
  return state.vms.filter((vm) => vm.host === host).reduce((sum, vm) => sum + vm.flavor.ramMb, 0);
}

/**
 * What nova checks before it accepts `nova live-migration` (state, destination, capacity, CPU per
 * release, storage and config drive rules). Returns the CLI's error answer, or null if accepted.
 * A refused CPU comparison is also logged by the destination's nova-compute, as the driver does.
 */
export function precheckLiveMigration(
  state: WorldState,
  vm: WorldVm,
  destName: string,
  blockMigration: boolean,
  requestId: string,
  nowMs: number,
): ExecReply | null {
  const rules = releaseRules(state.release);
  const modern = state.release === 'kilo-or-later';
  if (vm.vmState !== 'active' || vm.taskState !== null) {
    const [attr, value] = vm.taskState !== null ? ['task_state', vm.taskState] : ['vm_state', vm.vmState];
    const text = modern
      ? `Cannot 'os-migrateLive' instance ${vm.uuid} while it is in ${attr} ${value}`
      : `Cannot 'os-migrateLive' while instance is in ${attr} ${value}`;
    return apiError('Conflict', text, requestId);
  }
  const dest = findHost(state, destName);
  if (dest?.role !== 'hypervisor') {
    return apiError('BadRequest', `Compute host ${destName} could not be found.`, requestId);
  }
  if (dest.name === vm.host) {
    return apiError(
      'BadRequest',
      `Unable to migrate instance (${vm.uuid}) to current host (${vm.host}).`,
      requestId,
    );
  }
  if (dest.computeDown) {
    return apiError('BadRequest', `Compute service of ${dest.name} is unavailable at this time.`, requestId);
  }
  if (dest.disabledReason !== undefined && modern) {
    // From Newton (2.30) a named host is checked by the scheduler, whose ComputeFilter drops a
    // disabled nova-compute. Before, the named host bypassed the scheduler and the conductor only
    // asked whether the service was up: a disabled host was accepted (so Icehouse and Juno are).
    return apiError(
      'BadRequest',
      'No valid host was found. There are not enough hosts available.',
      requestId,
    );
  }
  const freeMb = dest.memoryMb - usedRamMb(state, dest.name);
  if (freeMb < vm.flavor.ramMb) {
    return apiError(
      'BadRequest',
      `Migration pre-check error: Unable to migrate ${vm.uuid} to ${dest.name}: Lack of memory(host:${freeMb} <= instance:${vm.flavor.ramMb})`,
      requestId,
    );
  }
  const cpuVerdict =
    rules.cpuCheck === 'host'
      ? hostCpuCompatible(findHost(state, vm.host)!.cpuName, dest.cpuName)
      : rules.cpuCheck === 'guest'
        ? guestCpuCompatible(vm.liveCpu, dest.cpuName)
        : null;
  if (cpuVerdict && !cpuVerdict.compatible) {
    const context = { requestId, userId: vm.userId, tenantId: vm.tenantId };
    appendNovaLog(
      dest,
      nowMs,
      'ERROR',
      'nova.virt.libvirt.driver',
      context,
      INVALID_CPU_INFO.replace('Unacceptable CPU info: ', ''),
    );
    const text = modern ? INVALID_CPU_INFO : remoteError('InvalidCPUInfo', INVALID_CPU_INFO);
    return apiError('BadRequest', text, requestId);
  }
  return storagePrecheck(state, vm, dest.name, blockMigration, requestId);
}

function storagePrecheck(
  state: WorldState,
  vm: WorldVm,
  destName: string,
  blockMigration: boolean,
  requestId: string,
): ExecReply | null {
  const rules = releaseRules(state.release);
  const localDisk = vm.disks.some((disk) => disk.kind === 'file' && disk.device === 'disk');
  if (rules.sharedStorageCheck && !blockMigration) {
    // Icehouse's test-file check: the instance dirs are not shared, whatever holds the disks.
    return apiError(
      'BadRequest',
      remoteError('InvalidSharedStorage', invalidSharedStorage(destName)),
      requestId,
    );
  }
  if (blockMigration && state.release === 'icehouse-patched') {
    // The seed's patch makes every instance dir look shared, and block migration refuses that.
    return apiError('BadRequest', invalidLocalStorage(destName), requestId);
  }
  if (blockMigration && vm.configDrive && !rules.createsDestDir) {
    return apiError('BadRequest', NO_BLOCK_MIGRATION_FOR_CONFIG_DRIVE, requestId);
  }
  if (!rules.createsDestDir) return null;
  // Juno and later: RBD-only instances count as shared block storage.
  if (blockMigration && !localDisk) {
    return apiError('BadRequest', invalidLocalStorage(destName), requestId);
  }
  if (!blockMigration && localDisk) {
    return apiError('BadRequest', invalidSharedStorage(destName), requestId);
  }
  if (vm.configDrive && !rules.configDriveVfat) {
    return apiError('BadRequest', NO_LIVE_MIGRATION_FOR_CONFIG_DRIVE, requestId);
  }
  return null;
}
