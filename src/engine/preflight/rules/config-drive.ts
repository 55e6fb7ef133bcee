import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';

const refusedByNova =
  'NoLiveMigrationForConfigDriveInLibVirt: Live migration of instances with config drives is not supported in libvirt unless libvirt instance path and drive data is shared across compute nodes.';

/**
 * A config drive is a file (disk.config) in the instance directory, which is not shared in an RBD
 * cluster. Whether it can move depends on the release (reference §2).
 */
export function checkConfigDrive(facts: PreflightFacts): CheckResult | null {
  if (facts.server.state !== 'known') return null;
  const server = facts.server.value;
  const disk =
    facts.domain.state === 'known'
      ? facts.domain.value.disks.find((d) => d.kind === 'config-drive')
      : undefined;
  const check = resultFor('config-drive', 'Config drive');
  if (!server.configDrive && disk === undefined) return check.pass('The VM has no config drive.');
  const path =
    disk && 'path' in disk ? disk.path : `${facts.settings.instancesPath}/${server.uuid}/disk.config`;
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
      const imagesType = sections.libvirt?.images_type;
      if (imagesType === 'rbd') {
        return check.pass('images_type=rbd: the config drive is kept in Ceph (Liberty and later).');
      }
      if (format === 'vfat')
        return check.pass('config_drive_format=vfat: nova can live-migrate the config drive.');
      return check.block(
        `config_drive_format is ${format} on ${facts.sourceHost}; nova will refuse: ${refusedByNova}`,
        'Set [DEFAULT] config_drive_format=vfat (new VMs) or [libvirt] images_type=rbd (Liberty+), or: ' +
          detach,
      );
    }
  }
}
