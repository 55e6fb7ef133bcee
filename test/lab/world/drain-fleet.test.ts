import { describe, expect, it } from 'vitest';
import { worldFixture } from './world-fixture.js';

describe('a generated fleet where drains are interesting', () => {
  it('mixes CPU generations, has nearly full hosts and a few VMs that cannot live-migrate as they are', async () => {
    const lab = worldFixture('kilo-or-later', { hosts: 60, seed: 3 });
    const hypervisors = lab.world.hosts.filter((host) => host.role === 'hypervisor').map((host) => host.name);
    const freeRam: number[] = [];
    const models = new Set<string>();
    for (const host of hypervisors) {
      const show = await lab.out('control01', ['nova', 'hypervisor-show', host]);
      freeRam.push(Number(/\| free_ram_mb +\| (\d+) /.exec(show)![1]));
      models.add(/"model": "([^"]+)"/.exec(show)![1]!);
    }
    expect(models.size).toBeGreaterThan(3);
    // Nearly full: less room than an m1.large needs.
    const nearlyFull = freeRam.filter((mib) => mib < 8192).length;
    expect(nearlyFull).toBeGreaterThan(3);
    expect(nearlyFull).toBeLessThan(hypervisors.length / 3);

    const list = await lab.out('control01', ['nova', 'list', '--all-tenants']);
    expect(list.match(/\| SHUTOFF \|/g)?.length ?? 0).toBeGreaterThan(0);
    let hostModel = 0;
    let localDisk = 0;
    for (const host of hypervisors) {
      const listed = await lab.out(host, ['virsh', 'list']);
      const domains = [...listed.matchAll(/^ +\d+ +(\S+) +running$/gm)].map((match) => match[1]!);
      for (const domain of domains) {
        const inactive = await lab.out(host, ['virsh', 'dumpxml', '--inactive', domain]);
        if (inactive.includes("mode='host-model'")) hostModel++;
        if (/<disk type='file' device='disk'>/.test(inactive)) localDisk++;
      }
    }
    expect(hostModel).toBeGreaterThan(0);
    expect(localDisk).toBeGreaterThan(0);
  });
});
