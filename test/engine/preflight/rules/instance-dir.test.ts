import { describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../../src/config/schema.js';
import { checkInstanceDir } from '../../../../src/engine/preflight/rules/instance-dir.js';
import { dstestUuid, knownFact, seedFacts } from '../fixtures.js';

const dir = `/var/lib/nova/instances/${dstestUuid}`;

function onRelease(release: NovaRelease, exists: boolean, blockMigrate = false) {
  const facts = seedFacts();
  facts.target = { ...facts.target, options: { ...facts.target.options, blockMigrate } };
  return {
    ...facts,
    settings: { ...facts.settings, release },
    destinationInstanceDir: knownFact({
      exists,
      owner: exists ? 'root' : null,
      group: exists ? 'root' : null,
      mode: exists ? 'drwxr-xr-x' : null,
    }),
  };
}

describe('instance-dir rule', () => {
  it('on patched Icehouse: the dir will be created and chowned nova:nova on node10', () => {
    expect(checkInstanceDir(onRelease('icehouse-patched', false))).toMatchObject({
      status: 'pass',
      explanation: expect.stringContaining(`${dir} will be created and chowned nova:nova on node10`),
    });
  });

  it('on patched Icehouse: an existing dir owned by root will be chowned', () => {
    expect(checkInstanceDir(onRelease('icehouse-patched', true))?.explanation).toContain(
      'owner root:root); livemig will chown it nova:nova',
    );
  });

  it('on stock Icehouse: predicts InvalidSharedStorage for a non-shared instance directory', () => {
    expect(checkInstanceDir(onRelease('icehouse', false))).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('InvalidSharedStorage_Remote node10 is not on shared storage'),
    });
  });

  it('on stock Icehouse: a block migration creates the dir itself', () => {
    expect(checkInstanceDir(onRelease('icehouse', false, true))?.status).toBe('pass');
  });

  it('on Juno: blocks a stale dir with DestinationDiskExists and the command to remove it', () => {
    expect(checkInstanceDir(onRelease('juno', true))).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining(
        `DestinationDiskExists: The supplied disk path (${dir}) already exists`,
      ),
      fix: `On node10: rm -rf ${dir}`,
    });
  });

  it('on Kilo+: does not offer rm when a domain on the destination still uses the dir', () => {
    const facts = {
      ...onRelease('kilo-or-later', true),
      destinationDomains: knownFact([{ id: null, name: 'instance-0000002a', state: 'shut off' }]),
    };
    const result = checkInstanceDir(facts);
    expect(result?.status).toBe('block');
    expect(result?.fix).not.toContain('rm -rf');
    expect(result?.fix).toContain('virsh dominfo instance-0000002a');
  });

  it('on Juno: passes when the dir does not exist', () => {
    expect(checkInstanceDir(onRelease('juno', false))?.status).toBe('pass');
  });

  it("never offers to remove the VM's own directory when the destination is the host it runs on", () => {
    const facts = onRelease('juno', true);
    facts.target = { ...facts.target, destination: 'node05' };
    expect(checkInstanceDir(facts)).toBeNull();
  });
});
