import type { DomainDisk } from '../../../cluster/types.js';
import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';

/**
 * Disks in Ceph RBD stay where they are, so only RAM moves. A local disk would stay behind on the
 * source: it blocks unless the user asked for a block migration (the config drive has its own rule).
 */
export function checkStorage(facts: PreflightFacts): CheckResult | null {
  if (facts.domain.state !== 'known') return null;
  const check = resultFor('storage', 'Storage');
  const disks = facts.domain.value.disks.filter((disk) => disk.kind !== 'config-drive');
  const rbd = disks.filter((disk) => disk.kind === 'rbd');
  const local = disks.filter((disk) => disk.kind === 'file' || disk.kind === 'block');
  const unknown = disks.filter((disk) => disk.kind === 'other');
  const rbdLine = rbd.length === 0 ? 'no RBD disks' : `${rbd.length} RBD disk${rbd.length === 1 ? '' : 's'}`;
  if (local.length > 0) {
    const list = local.map(describeDisk).join(', ');
    if (facts.target.options.blockMigrate) {
      return check.warn(
        `Local disk${local.length === 1 ? '' : 's'} ${list} will be copied by the block migration (not included in the predicted duration); ${rbdLine} stay in Ceph.`,
      );
    }
    const { release } = facts.settings;
    const novaRefusal =
      release === 'juno' || release === 'kilo-or-later'
        ? ` nova will refuse: InvalidSharedStorage_Remote ${facts.target.destination} is not on shared storage: Live migration can not be used without shared storage.`
        : '';
    if (release === 'icehouse-patched') {
      // Without --block-migrate the disk stays behind; with it nova refuses (block-migration rule).
      return check.block(
        `Local disk${local.length === 1 ? '' : 's'} ${list} would stay behind on the source: only RAM moves in a live migration without --block-migrate, and the seed's shared-storage patch makes nova refuse a block migration. No form of live migration can move this VM here.`,
        noLiveMigrationFix(facts),
      );
    }
    return check.block(
      `Local disk${local.length === 1 ? '' : 's'} ${list} would stay behind on the source: only RAM moves in a live migration without --block-migrate.${novaRefusal}`,
      'Request a block migration (--block-migrate), which copies the disk, or move the disk to a Cinder volume in Ceph.',
    );
  }
  if (unknown.length > 0) {
    return check.warn(
      `${rbdLine}; livemig cannot tell whether ${unknown.map(describeDisk).join(', ')} is reachable from the destination.`,
    );
  }
  if (rbd.length === 0) return check.pass('The VM has no disks to move.');
  return check.pass(`All disks are in Ceph RBD (${rbd.map(describeDisk).join(', ')}): only RAM moves.`);
}

/** What can move a VM that no live migration can: a cold migration, or its disk moved to Ceph. */
export function noLiveMigrationFix(facts: PreflightFacts): string {
  const vm = facts.server.state === 'known' ? facts.server.value.uuid : '<uuid>';
  return `Cold-migrate it (the guest is shut down while its disk is copied): nova migrate ${vm}, then nova resize-confirm ${vm}; or move its disk to a Cinder volume in Ceph (boot from volume), after which it migrates live.`;
}

function describeDisk(disk: DomainDisk): string {
  const target = disk.targetDev ? `${disk.targetDev} ` : '';
  switch (disk.kind) {
    case 'rbd':
      return `${target}rbd:${disk.name}`.trim();
    case 'other':
      return `${target}(${disk.type}${disk.source ? ` ${disk.source}` : ''})`;
    default:
      return `${target}${disk.path}`;
  }
}
