import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';
import { noLiveMigrationFix } from './storage.js';

/**
 * nova's verdict on --block-migrate: it refuses a block migration where it believes the storage
 * is shared, which the seed's patch makes true of every instance directory on Icehouse, and which
 * Juno and later hold true of a VM whose disks are all in RBD.
 */
export function checkBlockMigration(facts: PreflightFacts): CheckResult | null {
  if (!facts.target.options.blockMigrate) return null;
  const { destination } = facts.target;
  const check = resultFor('block-migration', 'Block migration');
  const refusal = `nova will refuse: InvalidLocalStorage_Remote ${destination} is not on local storage: Block migration can not be used with shared storage.`;
  const dropIt = 'Migrate without --block-migrate.';
  switch (facts.settings.release) {
    case 'icehouse':
      return check.pass('Stock Icehouse block-migrates between non-shared instance directories.');
    case 'icehouse-patched': {
      const cause = `The seed's shared-storage patch makes every instance directory look shared, so ${refusal}`;
      // With a local disk, dropping --block-migrate leaves the disk behind: no live form works.
      if (hasLocalDisk(facts)) {
        return check.block(
          `${cause} No form of live migration can move this VM's local disk here.`,
          noLiveMigrationFix(facts),
        );
      }
      return check.block(cause, dropIt);
    }
    case 'juno':
    case 'kilo-or-later': {
      if (facts.domain.state !== 'known') return null;
      if (hasLocalDisk(facts))
        return check.pass('The VM has local disks, so nova accepts a block migration.');
      return check.block(
        `Every disk is in RBD, which nova counts as shared block storage, so ${refusal}`,
        dropIt,
      );
    }
  }
}

function hasLocalDisk(facts: PreflightFacts): boolean {
  return (
    facts.domain.state === 'known' &&
    facts.domain.value.disks.some((disk) => disk.kind === 'file' || disk.kind === 'block')
  );
}
