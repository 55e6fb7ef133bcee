import { describe, expect, it } from 'vitest';
import type { DomainDisk } from '../../../../src/cluster/types.js';
import type { NovaRelease } from '../../../../src/config/schema.js';
import { checkBlockMigration } from '../../../../src/engine/preflight/rules/block-migration.js';
import { dstestDomain, knownFact, seedFacts } from '../fixtures.js';

const localDisk: DomainDisk = {
  kind: 'file',
  device: 'disk',
  targetDev: 'vda',
  path: '/var/lib/nova/instances/x/disk',
};

function blockMigrating(release: NovaRelease, disks: DomainDisk[] = dstestDomain.disks) {
  const facts = seedFacts();
  facts.target = { ...facts.target, options: { ...facts.target.options, blockMigrate: true } };
  return {
    ...facts,
    settings: { ...facts.settings, release },
    domain: knownFact({ ...dstestDomain, disks }),
  };
}

describe('block-migration rule', () => {
  it('has nothing to say when no block migration is asked for', () => {
    expect(checkBlockMigration(seedFacts())).toBeNull();
  });

  it('predicts InvalidLocalStorage on patched Icehouse, whose patch makes every dir look shared', () => {
    expect(checkBlockMigration(blockMigrating('icehouse-patched'))).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('InvalidLocalStorage_Remote node10 is not on local storage'),
      fix: 'Migrate without --block-migrate.',
    });
  });

  it('says no live migration can move a local disk on patched Icehouse, instead of dropping --block-migrate', () => {
    expect(checkBlockMigration(blockMigrating('icehouse-patched', [localDisk]))).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining("No form of live migration can move this VM's local disk here."),
      fix: expect.stringMatching(/^Cold-migrate it/),
    });
  });

  it('predicts InvalidLocalStorage on Juno for a VM whose disks are all in RBD', () => {
    expect(checkBlockMigration(blockMigrating('juno'))?.status).toBe('block');
  });

  it('accepts a block migration of a VM with a local disk on Kilo and later', () => {
    expect(checkBlockMigration(blockMigrating('kilo-or-later', [localDisk]))?.status).toBe('pass');
  });

  it('accepts a block migration on stock Icehouse', () => {
    expect(checkBlockMigration(blockMigrating('icehouse'))?.status).toBe('pass');
  });
});
