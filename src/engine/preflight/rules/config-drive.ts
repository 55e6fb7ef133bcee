import type { DomainDisk } from '../../../cluster/types.js';
import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';

const refusedByNova =
  'NoLiveMigrationForConfigDriveInLibVirt: Live migration of instances with config drives is not supported in libvirt unless libvirt instance path and drive data is shared across compute nodes.';

/** Where the VM's config drive is, as its domain XML says. */
type ConfigDrive = { where: 'rbd'; name: string } | { where: 'file'; path: string };

/**
 * A config drive is a file (disk.config) in the instance directory, which is not shared in an RBD
 * cluster, or (Liberty and later with images_type=rbd) an RBD image. Where it is comes from the
 * domain XML's disk source, never from the release or nova.conf: a VM keeps the drive it was
 * booted with. Whether a local one can move depends on the release (reference §2).
 */
export function checkConfigDrive(facts: PreflightFacts): CheckResult | null {
  if (facts.server.state !== 'known') return null;
  const server = facts.server.value;
  const check = resultFor('config-drive', 'Config drive');
  const drive =
    facts.domain.state === 'known'
      ? configDriveOf(facts.domain.value.disks)
      : server.configDrive
        ? { where: 'file' as const, path: `${facts.settings.instancesPath}/${server.uuid}/disk.config` }
        : null;
  if (drive === null) return check.pass('The VM has no config drive.');
  if (drive.where === 'rbd') {
    return check.pass(
      `The config drive is in Ceph (rbd:${drive.name}): it stays where it is, like the disks.`,
    );
  }
  const { path } = drive;
  const { destination } = facts.target;
  const detach = 'Rebuild the VM without a config drive (use the metadata service) to make it movable.';
  switch (facts.settings.release) {
    case 'icehouse':
    case 'icehouse-patched':
      if (facts.target.options.blockMigrate) {
        return check.block(
          `nova (Icehouse) refuses to block-migrate a VM with a config drive (${path}).`,
          detach,
        );
      }
      if (facts.settings.release === 'icehouse') {
        return check.pass(
          `${path} moves only if the instance directory is shared (see the instance directory check).`,
        );
      }
      return check.block(
        `nova will not copy ${path} to ${destination}: the seed's shared-storage patch makes it assume a shared instance directory, so QEMU on ${destination} cannot open the config drive and the migration fails.`,
        `Copy ${path} to the same path on ${destination} (owned nova:nova) before migrating, or: ${detach}`,
      );
    case 'juno':
      return check.block(`nova (Juno) will refuse: ${refusedByNova}`, detach);
    case 'kilo-or-later': {
      if (facts.sourceNovaConf.state !== 'known') return null;
      const sections = facts.sourceNovaConf.value.sections;
      const format = sections.DEFAULT?.config_drive_format ?? 'iso9660';
      if (sections.libvirt?.images_type === 'rbd') {
        // nova counts the RBD image backend as shared block storage and copies nothing local.
        return check.block(
          `The config drive is a local file (${path}), although images_type=rbd on ${facts.sourceHost}: nova counts RBD as shared storage and will not copy it, so ${destination} would have no disk.config.`,
          detach,
        );
      }
      if (format === 'vfat')
        return check.pass(`config_drive_format=vfat: nova can live-migrate the config drive (${path}).`);
      return check.block(
        `config_drive_format is ${format} on ${facts.sourceHost}; nova will refuse: ${refusedByNova}`,
        `Set [DEFAULT] config_drive_format=vfat (new VMs) or [libvirt] images_type=rbd (Liberty+, new VMs), or: ${detach}`,
      );
    }
  }
}

/** The config drive among the domain's disks: nova names its image disk.config (`<uuid>_disk.config` in RBD). */
function configDriveOf(disks: readonly DomainDisk[]): ConfigDrive | null {
  for (const disk of disks) {
    if (disk.kind === 'config-drive') return { where: 'file', path: disk.path };
    if (disk.kind === 'rbd' && /_disk\.config$/.test(disk.name)) return { where: 'rbd', name: disk.name };
  }
  return null;
}
