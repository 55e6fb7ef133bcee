import { describe, expect, it } from 'vitest';
import { linesWith, worldFixture } from './world-fixture.js';

const statusOf = (list: string, id: number): string =>
  list
    .split('\n')
    .find((line) => line.startsWith(`| ${id} `))!
    .split('|')[7]!
    .trim();

describe('concurrency, abort and force-complete', () => {
  it('runs one outbound migration per source host and queues the rest', async () => {
    const lab = worldFixture('kilo-or-later');
    await lab.out('control01', ['nova', 'live-migration', 'web01', 'node02']);
    await lab.out('control01', ['nova', 'live-migration', 'lb01', 'node03']);
    await lab.out('control01', ['nova', 'live-migration', 'git01', 'node04']);
    lab.advance(1);
    let list = await lab.out('control01', ['nova', 'migration-list']);
    expect(statusOf(list, 1)).toBe('preparing');
    expect(statusOf(list, 2)).toBe('queued');
    expect(statusOf(list, 3)).toBe('preparing');
    expect(await lab.field('lb01', 'status')).toBe('MIGRATING');
    lab.advance(10);
    list = await lab.out('control01', ['nova', 'migration-list']);
    expect(statusOf(list, 1)).toBe('running');
    expect(statusOf(list, 2)).toBe('queued');
    lab.advance(200);
    list = await lab.out('control01', ['nova', 'migration-list']);
    expect([statusOf(list, 1), statusOf(list, 2), statusOf(list, 3)]).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    expect(await lab.field('lb01', 'OS-EXT-SRV-ATTR:host')).toBe('node03');
  });

  it('live-migration-abort cancels a running copy; the VM stays ACTIVE on its source', async () => {
    const lab = worldFixture('kilo-or-later');
    await lab.out('control01', ['nova', 'live-migration', 'db01', 'node04']);
    lab.advance(60);
    const instance = await lab.field('db01', 'OS-EXT-SRV-ATTR:instance_name');
    // The destination holds the paused incoming domain while memory is copied.
    expect(await lab.out('node04', ['virsh', 'list'])).toMatch(
      new RegExp(`^ \\d+ +${instance} +paused$`, 'm'),
    );
    expect(await lab.out('node04', ['virsh', 'domstate', instance])).toBe('paused\n\n');
    expect(await lab.out('control01', ['nova', 'live-migration-abort', 'db01', '1'])).toBe('');
    expect(statusOf(await lab.out('control01', ['nova', 'migration-list']), 1)).toBe('cancelled');
    expect(await lab.field('db01', 'status')).toBe('ACTIVE');
    expect(await lab.field('db01', 'OS-EXT-SRV-ATTR:host')).toBe('node03');
    expect(await lab.out('node04', ['virsh', 'list', '--all'])).not.toContain(instance);
    const again = await lab.run('control01', ['nova', 'live-migration-abort', 'db01', '1']);
    expect(again.stderr).toContain('ERROR (NotFound): In-progress live migration 1 is not found');
  });

  it('virsh domjobabort cancels the job on releases without the abort API', async () => {
    const lab = worldFixture('juno');
    await lab.out('control01', ['nova', 'live-migration', 'db01', 'node04']);
    lab.advance(30);
    const instance = await lab.field('db01', 'OS-EXT-SRV-ATTR:instance_name');
    expect(await lab.out('node03', ['virsh', 'domjobabort', instance])).toBe('');
    expect(await lab.field('db01', 'status')).toBe('ACTIVE');
    const idle = await lab.run('node03', ['virsh', 'domjobabort', instance]);
    expect(idle.stderr).toBe('error: Requested operation is not valid: no job is active on the domain\n');
    expect(idle.code).toBe(1);
    const log = await lab.out('node03', ['tail', '-n', '3', '/var/log/nova/nova-compute.log']);
    expect(log).toContain('Migration operation was cancelled');
  });

  it('force-complete pauses db01 so the copy ends long before the completion timeout', async () => {
    const lab = worldFixture('kilo-or-later');
    await lab.out('control01', ['nova', 'live-migration', 'db01', 'node04']);
    lab.advance(300);
    expect(await lab.field('db01', 'status')).toBe('MIGRATING');
    expect(await lab.out('control01', ['nova', 'live-migration-force-complete', 'db01', '1'])).toBe('');
    const instance = await lab.field('db01', 'OS-EXT-SRV-ATTR:instance_name');
    expect(await lab.out('node03', ['virsh', 'domstate', instance])).toBe('paused\n\n');
    lab.advance(200);
    expect(await lab.field('db01', 'OS-EXT-SRV-ATTR:host')).toBe('node04');
    expect(await lab.field('db01', 'status')).toBe('ACTIVE');
    expect(await lab.out('node04', ['virsh', 'domstate', instance])).toBe('running\n\n');
  });

  it('logs copy progress every minute on Kilo and later', async () => {
    const lab = worldFixture('kilo-or-later');
    await lab.out('control01', ['nova', 'live-migration', 'db01', 'node04']);
    lab.advance(200);
    const log = await lab.out('node03', ['tail', '-n', '10', '/var/log/nova/nova-compute.log']);
    const progress = linesWith(log, 'Migration running for');
    expect(progress).toHaveLength(3);
    expect(progress[0]).toMatch(
      /INFO nova\.virt\.libvirt\.driver .*Migration running for 60 secs, memory \d+% remaining; \(bytes processed=\d+, remaining=\d+, total=17179869184\)$/,
    );
  });
});

describe('world faults', () => {
  it('a nova-compute that is down shows in service-list and refuses migrations to it', async () => {
    const lab = worldFixture('icehouse-patched');
    lab.world.faults.setNovaComputeDown('node07', true);
    lab.advance(120);
    const services = await lab.out('control01', ['nova', 'service-list']);
    expect(services).toMatch(
      /\| nova-compute +\| node07 +\| nova +\| enabled +\| down +\| 2026-01-01T00:00:00\.000000 +\|/,
    );
    const reply = await lab.run('control01', ['nova', 'live-migration', 'lb02', 'node07']);
    expect(reply.stderr).toMatch(
      /^ERROR \(BadRequest\): Compute service of node07 is unavailable at this time\. \(HTTP 400\)/,
    );
    lab.world.faults.clear();
    expect(await lab.out('control01', ['nova', 'service-list'])).toMatch(
      /\| node07 +\| nova +\| enabled +\| up +\|/,
    );
  });

  for (const point of ['preparing', 'copying', 'switchover'] as const) {
    it(`failMigrationAt ${point}: the VM ends on its source, ACTIVE, with the error in nova-compute.log`, async () => {
      const lab = worldFixture('kilo-or-later');
      lab.world.faults.failMigrationAt('web03', point, `injected failure at ${point}`);
      await lab.out('control01', ['nova', 'live-migration', 'web03', 'node07']);
      lab.advance(120);
      expect(await lab.field('web03', 'OS-EXT-SRV-ATTR:host')).toBe('node06');
      expect(await lab.field('web03', 'status')).toBe('ACTIVE');
      expect(statusOf(await lab.out('control01', ['nova', 'migration-list']), 1)).toBe('error');
      const log = await lab.out('node06', ['tail', '-n', '5', '/var/log/nova/nova-compute.log']);
      expect(linesWith(log, ' ERROR ').join('\n')).toContain(`injected failure at ${point}`);
      // The fault is spent; once the stale destination dir (nova leaves it behind) is removed,
      // the next attempt succeeds.
      const uuid = await lab.uuidOf('web03');
      await lab.out('node07', ['rm', '-rf', `/var/lib/nova/instances/${uuid}`]);
      await lab.out('control01', ['nova', 'live-migration', 'web03', 'node07']);
      lab.advance(120);
      expect(await lab.field('web03', 'OS-EXT-SRV-ATTR:host')).toBe('node07');
    });
  }
});

describe('stale destination dirs on Juno and later', () => {
  it('a failed attempt leaves the dir on the destination and the retry fails with DestinationDiskExists', async () => {
    const lab = worldFixture('juno');
    lab.world.faults.failMigrationAt('web03', 'copying');
    await lab.out('control01', ['nova', 'live-migration', 'web03', 'node07']);
    lab.advance(60);
    const uuid = await lab.uuidOf('web03');
    expect((await lab.run('node07', ['test', '-d', `/var/lib/nova/instances/${uuid}`])).code).toBe(0);
    await lab.out('control01', ['nova', 'live-migration', 'web03', 'node07']);
    lab.advance(60);
    expect(await lab.field('web03', 'OS-EXT-SRV-ATTR:host')).toBe('node06');
    expect(await lab.out('node07', ['tail', '-n', '3', '/var/log/nova/nova-compute.log'])).toContain(
      'DestinationDiskExists',
    );
  });
});

describe('service-disable and reboot', () => {
  it('disables and enables nova-compute with a reason', async () => {
    const lab = worldFixture('icehouse-patched');
    expect(
      await lab.out('control01', [
        'nova',
        'service-disable',
        '--reason',
        'maintenance',
        'node05',
        'nova-compute',
      ]),
    ).toBe(
      '+--------+--------------+----------+-----------------+\n' +
        '| Host   | Binary       | Status   | Disabled Reason |\n' +
        '+--------+--------------+----------+-----------------+\n' +
        '| node05 | nova-compute | disabled | maintenance     |\n' +
        '+--------+--------------+----------+-----------------+\n',
    );
    expect(await lab.out('control01', ['nova', 'service-list'])).toMatch(
      /\| node05 +\| nova +\| disabled +\| up +\| \S+ +\| maintenance +\|/,
    );
    await lab.out('control01', ['nova', 'service-enable', 'node05', 'nova-compute']);
    expect(await lab.out('control01', ['nova', 'service-list'])).toMatch(
      /\| node05 +\| nova +\| enabled +\| up +\| \S+ +\| - +\|/,
    );
  });

  it('a hard reboot regenerates the CPU from nova.conf, a soft one keeps the old one', async () => {
    const lab = worldFixture('icehouse-patched');
    const instance = await lab.field('dstest', 'OS-EXT-SRV-ATTR:instance_name');
    await lab.out('control01', ['nova', 'reboot', 'dstest']);
    expect(await lab.out('node05', ['virsh', 'dumpxml', instance])).toContain(
      "<model fallback='forbid'>SandyBridge</model>",
    );
    await lab.out('control01', ['nova', 'reboot', '--hard', 'dstest']);
    const live = await lab.out('node05', ['virsh', 'dumpxml', instance]);
    expect(live).toContain("<model fallback='forbid'>Westmere</model>");
    expect(live).not.toContain("name='avx'");
    expect(await lab.out('node05', ['virsh', 'dumpxml', '--inactive', instance])).toContain(
      "<cpu mode='custom' match='exact'>\n    <model>Westmere</model>\n  </cpu>",
    );
  });
});
