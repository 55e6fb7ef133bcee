import { describe, expect, it } from 'vitest';
import type { DomainDisk } from '../../../../src/cluster/types.js';
import { checkStorage } from '../../../../src/engine/preflight/rules/storage.js';
import { dstestDomain, knownFact, seedFacts } from '../fixtures.js';

const localDisk: DomainDisk = {
  kind: 'file',
  device: 'disk',
  targetDev: 'vdb',
  path: '/var/lib/nova/instances/x/disk.local',
};

function withDisks(disks: DomainDisk[], blockMigrate = false) {
  const facts = { ...seedFacts(), domain: knownFact({ ...dstestDomain, disks }) };
  facts.target = { ...facts.target, options: { ...facts.target.options, blockMigrate } };
  return facts;
}

describe('storage rule', () => {
  it('passes a VM whose disks are all in Ceph RBD', () => {
    expect(checkStorage(seedFacts())).toMatchObject({
      status: 'pass',
      explanation: expect.stringContaining('only RAM moves'),
    });
  });

  it('blocks a local disk without --block-migrate', () => {
    const result = checkStorage(withDisks([...dstestDomain.disks, localDisk]));
    expect(result).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('vdb /var/lib/nova/instances/x/disk.local would stay behind'),
    });
  });

  it('names the InvalidSharedStorage refusal Juno and later give a local disk', () => {
    const facts = withDisks([localDisk]);
    const juno = { ...facts, settings: { ...facts.settings, release: 'juno' as const } };
    expect(checkStorage(juno)?.explanation).toContain(
      'InvalidSharedStorage_Remote node10 is not on shared storage',
    );
  });

  it('warns that a block migration copies the local disk', () => {
    expect(checkStorage(withDisks([localDisk], true))?.status).toBe('warn');
  });

  it('ignores the config drive, which has its own rule', () => {
    const configDrive: DomainDisk = {
      kind: 'config-drive',
      device: 'cdrom',
      targetDev: 'hdd',
      path: '/var/lib/nova/instances/x/disk.config',
    };
    expect(checkStorage(withDisks([...dstestDomain.disks, configDrive]))?.status).toBe('pass');
  });
});
