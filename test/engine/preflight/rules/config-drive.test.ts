import { describe, expect, it } from 'vitest';
import type { DomainDisk } from '../../../../src/cluster/types.js';
import type { NovaRelease } from '../../../../src/config/schema.js';
import { checkConfigDrive } from '../../../../src/engine/preflight/rules/config-drive.js';
import { dstest, dstestDomain, knownFact, seedFacts, westmereNovaConf } from '../fixtures.js';

const localDrive: DomainDisk = {
  kind: 'config-drive',
  device: 'cdrom',
  targetDev: 'hdd',
  path: `/var/lib/nova/instances/${dstest.uuid}/disk.config`,
};
const rbdDrive: DomainDisk = {
  kind: 'rbd',
  device: 'disk',
  targetDev: 'vdz',
  name: `vms/${dstest.uuid}_disk.config`,
};

function withConfigDrive(
  release: NovaRelease,
  defaults: Record<string, string> = {},
  libvirt: Record<string, string> = {},
  drive: DomainDisk = localDrive,
) {
  const facts = seedFacts();
  return {
    ...facts,
    settings: { ...facts.settings, release },
    server: knownFact({ ...dstest, configDrive: true }),
    domain: knownFact({ ...dstestDomain, disks: [...dstestDomain.disks, drive] }),
    sourceNovaConf: knownFact({ ...westmereNovaConf, sections: { DEFAULT: defaults, libvirt } }),
  };
}

describe('config-drive rule', () => {
  it('passes a VM without a config drive', () => {
    expect(checkConfigDrive(seedFacts())?.status).toBe('pass');
  });

  it('blocks on patched Icehouse: nova will not copy disk.config to the destination', () => {
    const result = checkConfigDrive(withConfigDrive('icehouse-patched'));
    expect(result?.status).toBe('block');
    expect(result?.explanation).toContain(
      'nova will not copy /var/lib/nova/instances/a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11/disk.config to node10',
    );
  });

  it('blocks on Juno with NoLiveMigrationForConfigDriveInLibVirt', () => {
    expect(checkConfigDrive(withConfigDrive('juno'))?.explanation).toContain(
      'NoLiveMigrationForConfigDriveInLibVirt',
    );
  });

  it('blocks on Kilo+ with the default iso9660 format', () => {
    expect(checkConfigDrive(withConfigDrive('kilo-or-later'))).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('config_drive_format is iso9660 on node05'),
    });
  });

  it('passes on Kilo+ with config_drive_format=vfat', () => {
    expect(checkConfigDrive(withConfigDrive('kilo-or-later', { config_drive_format: 'vfat' }))?.status).toBe(
      'pass',
    );
  });

  it('passes when the domain XML puts the config drive in RBD, on any release', () => {
    for (const release of ['juno', 'kilo-or-later'] as const) {
      expect(checkConfigDrive(withConfigDrive(release, {}, { images_type: 'rbd' }, rbdDrive))).toMatchObject({
        status: 'pass',
        explanation: expect.stringContaining(`rbd:vms/${dstest.uuid}_disk.config`),
      });
    }
  });

  it('blocks a local disk.config although images_type=rbd: nova would not copy it (decided from the XML)', () => {
    const result = checkConfigDrive(withConfigDrive('kilo-or-later', {}, { images_type: 'rbd' }));
    expect(result?.status).toBe('block');
    expect(result?.explanation).toContain(
      `The config drive is a local file (/var/lib/nova/instances/${dstest.uuid}/disk.config), although images_type=rbd`,
    );
    expect(result?.explanation).toContain('node10 would have no disk.config');
  });
});
