/**
 * Why pre_live_migration (or the start of libvirt's migration) fails, per release: Juno and later
 * refuse an existing destination dir; patched Icehouse needs it to exist, owned by nova, with the
 * guest's local files in it.
 */
import { findHost, instanceDirPath, type WorldMigration, type WorldState, type WorldVm } from './model.js';
import { destinationDiskExists } from './nova-errors.js';
import { releaseRules } from './release.js';

export interface PreparationFailure {
  destLog: string;
  sourceLog: string;
  sourceLogger: string;
}

/** Why pre_live_migration / the start of the libvirt migration fails, if it does. */
export function preparationFailure(
  state: WorldState,
  migration: WorldMigration,
  vm: WorldVm,
): PreparationFailure | null {
  const dir = instanceDirPath(vm.uuid);
  const destDir = findHost(state, migration.dest)!.dirs.get(dir);
  if (migration.fault?.point === 'preparing') {
    const text = migration.fault.message;
    return {
      destLog: text,
      sourceLog: `Pre live migration failed at ${migration.dest}: ${text}`,
      sourceLogger: 'nova.compute.manager',
    };
  }
  if (releaseRules(state.release).createsDestDir || migration.blockMigration) {
    if (!destDir) return null;
    const text = `DestinationDiskExists: ${destinationDiskExists(dir)}`;
    return {
      destLog: text,
      sourceLog: `Pre live migration failed at ${migration.dest}: ${text}`,
      sourceLogger: 'nova.compute.manager',
    };
  }
  // Patched Icehouse assumes a shared instance dir: QEMU on the destination needs it to exist,
  // writable by nova, and holding every local file of the guest.
  const qemuFailure = (path: string, reason: string): PreparationFailure => {
    const text = `Live Migration failure: Unable to pre-create chardev file '${path}': ${reason}`;
    return { destLog: text, sourceLog: text, sourceLogger: 'nova.virt.libvirt.driver' };
  };
  if (!destDir) return qemuFailure(`${dir}/console.log`, 'No such file or directory');
  if (destDir.owner !== 'nova') return qemuFailure(`${dir}/console.log`, 'Permission denied');
  const localFile = vm.disks.find((disk) => disk.kind === 'file');
  if (localFile && localFile.kind === 'file') {
    const text = `Live Migration failure: Cannot access storage file '${localFile.path}' (as uid:107, gid:107): No such file or directory`;
    return { destLog: text, sourceLog: text, sourceLogger: 'nova.virt.libvirt.driver' };
  }
  return null;
}
