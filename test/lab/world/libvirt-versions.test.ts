import { describe, expect, it } from 'vitest';
import { parseDomJobInfo } from '../../../src/cluster/parse/domjobinfo.js';
import type { NovaRelease } from '../../../src/config/schema.js';
import { worldFixture } from './world-fixture.js';

const MiB = 1024 ** 2;

/** Starts web02's migration to node03 on `release` and returns domjobinfo on its source mid-copy. */
async function jobInfoMidCopy(release: NovaRelease, libvirtVersion?: string): Promise<string> {
  const lab = worldFixture(release, libvirtVersion ? { libvirtVersion } : {});
  const uuid = await lab.uuidOf('web02');
  if (release === 'icehouse-patched') {
    await lab.out('node03', ['mkdir', '-p', `/var/lib/nova/instances/${uuid}`]);
    await lab.out('node03', ['chown', 'nova:nova', `/var/lib/nova/instances/${uuid}`]);
  }
  const blockMigrate = release === 'icehouse' ? ['--block-migrate'] : [];
  await lab.out('control01', ['nova', 'live-migration', ...blockMigrate, 'web02', 'node03']);
  lab.advance(30);
  const instance = await lab.field('web02', 'OS-EXT-SRV-ATTR:instance_name');
  return lab.out('node02', ['virsh', 'domjobinfo', instance]);
}

const labels = (text: string) => text.split('\n').map((line) => line.split(':')[0]);

describe("each release's libvirt", () => {
  it('stock Icehouse (libvirt 1.2.2) prints neither bandwidth, dirty rate, iteration, operation nor page size', async () => {
    const text = await jobInfoMidCopy('icehouse');
    expect(labels(text)).toEqual(
      expect.arrayContaining(['Job type', 'Memory remaining', 'Expected downtime']),
    );
    for (const absent of [
      'Memory bandwidth',
      'Dirty rate',
      'Iteration',
      'Operation',
      'Page size',
      'Setup time',
    ])
      expect(labels(text)).not.toContain(absent);
  });

  it("the seed's Icehouse (libvirt 1.3.1) prints the dirty rate in pages/s without a page size, and livemig reads it", async () => {
    const text = await jobInfoMidCopy('icehouse-patched');
    expect(text).toMatch(/^Dirty rate: +\d+ +pages\/s$/m);
    expect(text).toMatch(/^Iteration: +\d+/m);
    expect(labels(text)).not.toContain('Page size');
    expect(labels(text)).not.toContain('Operation');
    // web02 dirties ~14 MiB/s: 4 KiB x86 pages, not "0 MiB/s".
    const job = parseDomJobInfo(text);
    expect(job.dirtyRateBytesPerSec! / MiB).toBeGreaterThan(10);
    expect(job.dirtyRateBytesPerSec! / MiB).toBeLessThan(18);
  });

  it('kilo-or-later (libvirt 8.0) prints every line, the page size included', async () => {
    const text = await jobInfoMidCopy('kilo-or-later');
    expect(text).toMatch(/^Operation: +Outgoing migration/m);
    expect(text).toMatch(/^Page size: +4096 +bytes$/m);
  });

  it('has virsh domdirtyrate-calc only from libvirt 7.2 on', async () => {
    for (const release of ['icehouse', 'icehouse-patched', 'juno'] as const) {
      const reply = await worldFixture(release).run('node02', [
        'virsh',
        'domdirtyrate-calc',
        'instance-00000002',
      ]);
      expect(reply).toMatchObject({ code: 1, stderr: "error: unknown command: 'domdirtyrate-calc'\n" });
    }
    const kilo = worldFixture('kilo-or-later');
    const instance = await kilo.field('web02', 'OS-EXT-SRV-ATTR:instance_name');
    expect(await kilo.out('node02', ['virsh', 'domdirtyrate-calc', instance])).toContain('successfully');
    const older = await worldFixture('kilo-or-later', { libvirtVersion: '7.1.0' }).run('node02', [
      'virsh',
      'domdirtyrate-calc',
      instance,
    ]);
    expect(older.code).toBe(1);
  });
});
