import { describe, expect, it } from 'vitest';
import { GIB, MIB } from '../../../src/lab/world/bytes.js';
import { planCopy, sampleCopy } from '../../../src/lab/world/physics.js';
import { linesWith, worldFixture } from './world-fixture.js';

/** Reads `Label: value unit` rows of virsh domjobinfo into numbers (sizes in bytes). */
function jobInfo(text: string): Record<string, number | string> {
  const units: Record<string, number> = { B: 1, KiB: 1024, MiB: MIB, GiB: GIB, TiB: GIB * 1024 };
  const out: Record<string, number | string> = {};
  for (const line of text.trimEnd().split('\n')) {
    const match = /^(.+?):\s+(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, label, rest] = match;
    const [value = '', unit = ''] = rest!.split(/\s+/);
    const scale = units[unit.replace('/s', '')];
    out[label!] = Number.isNaN(Number(value)) ? rest! : Number(value) * (scale ?? 1);
  }
  return out;
}

describe('pre-copy model', () => {
  it('moves 8 GiB at 1.1 GB/s with 200 MB/s dirtying in about 9 s with about 258 ms downtime', () => {
    const plan = planCopy({
      memoryBytes: 8 * GIB,
      rateBytesPerSec: 1.1e9,
      dirtyBytesPerSec: () => 200e6,
      downtimeLimitMs: () => 300,
      timeoutMs: 800 * 8 * 1000,
    });
    expect(plan.outcome).toBe('converged');
    expect(plan.endMs / 1000).toBeGreaterThan(8.5);
    expect(plan.endMs / 1000).toBeLessThan(10);
    expect(plan.downtimeMs).toBeGreaterThan(250);
    expect(plan.downtimeMs).toBeLessThan(265);
  });

  it('never converges when the guest dirties faster than the link and stops at the timeout', () => {
    const plan = planCopy({
      memoryBytes: 16 * GIB,
      rateBytesPerSec: 117 * MIB,
      dirtyBytesPerSec: () => 140 * MIB,
      downtimeLimitMs: () => 500,
      timeoutMs: 12_800_000,
    });
    expect(plan.outcome).toBe('timeout');
    expect(plan.endMs).toBe(12_800_000);
    const late = sampleCopy(plan, 12_000_000);
    expect(late.processedBytes).toBeGreaterThan(16 * GIB * 10);
    expect(late.remainingBytes).toBeGreaterThan(GIB);
  });
});

describe('migrations on the lab clock', () => {
  it('db01 (16 GiB dirtying 140 MiB/s on 1 GbE) never converges and is aborted after 12800 s', async () => {
    const lab = worldFixture('juno');
    await lab.out('control01', ['nova', 'live-migration', 'db01', 'node04']);
    const instance = await lab.field('db01', 'OS-EXT-SRV-ATTR:instance_name');
    lab.advance(5);
    let previous = { elapsed: -1, processed: -1 };
    for (let second = 5; second < 12_790; second += 997) {
      const info = jobInfo(await lab.out('node03', ['virsh', 'domjobinfo', instance]));
      expect(info['Job type']).toBe('Unbounded');
      // Juno's libvirt (1.2.8) prints no Operation line (3.3+), no dirty rate and no iteration (1.3.1+).
      expect(info.Operation).toBeUndefined();
      expect(info['Dirty rate']).toBeUndefined();
      const elapsed = info['Time elapsed'] as number;
      const processed = info['Memory processed'] as number;
      expect(elapsed).toBeGreaterThan(previous.elapsed);
      expect(processed).toBeGreaterThan(previous.processed);
      expect(info['Memory total']).toBe(16 * GIB);
      expect(await lab.field('db01', 'status')).toBe('MIGRATING');
      previous = { elapsed, processed };
      lab.advance(997);
    }
    expect(previous.processed).toBeGreaterThan(16 * GIB);
    lab.advance(20);
    expect(await lab.field('db01', 'status')).toBe('ACTIVE');
    expect(await lab.field('db01', 'OS-EXT-SRV-ATTR:host')).toBe('node03');
    const log = await lab.out('node03', ['tail', '-n', '5', '/var/log/nova/nova-compute.log']);
    expect(linesWith(log, 'WARNING nova.virt.libvirt.driver')[0]).toContain(
      'Live migration not completed after 12800 sec',
    );
    expect(await lab.out('node03', ['virsh', 'domjobinfo', instance])).toBe(
      'Job type:         None        \n',
    );
  });

  it('domjobinfo reports virsh rows with units while copying, and --completed afterwards', async () => {
    const lab = worldFixture('kilo-or-later');
    await lab.out('control01', ['nova', 'live-migration', 'web01', 'node02']);
    lab.advance(10);
    const instance = await lab.field('web01', 'OS-EXT-SRV-ATTR:instance_name');
    const text = await lab.out('node01', ['virsh', 'domjobinfo', instance]);
    const labels = text
      .trimEnd()
      .split('\n')
      .map((line) => line.slice(0, 18));
    expect(labels).toEqual([
      'Job type:         ',
      'Operation:        ',
      'Time elapsed:     ',
      'Data processed:   ',
      'Data remaining:   ',
      'Data total:       ',
      'Memory processed: ',
      'Memory remaining: ',
      'Memory total:     ',
      'Memory bandwidth: ',
      'Dirty rate:       ',
      'Page size:        ',
      'Iteration:        ',
      'Constant pages:   ',
      'Normal pages:     ',
      'Normal data:      ',
      'Expected downtime:',
      'Setup time:       ',
    ]);
    expect(text).toMatch(/^Memory total: {5}4\.000 GiB$/m);
    expect(text).toMatch(/^Memory bandwidth: 117\.000 MiB\/s$/m);
    expect(text).toMatch(/^Time elapsed: {5}\d+ +ms$/m);
    expect(text).toMatch(/^Page size: {8}4096 {9}bytes$/m);
    lab.advance(120);
    const completed = await lab.out('node02', ['virsh', 'domjobinfo', '--completed', instance]);
    expect(completed).toMatch(/^Job type: {9}Completed {3}\n/);
    expect(completed).toMatch(/^Operation: {8}Incoming migration\n/m);
    expect(completed).toMatch(/^Total downtime: {3}\d+ +ms$/m);
  });

  it('server-migration-show reports true progress that only grows', async () => {
    const lab = worldFixture('kilo-or-later');
    await lab.out('control01', ['nova', 'live-migration', 'app01', 'node05']);
    const row = (text: string, name: string): string =>
      text
        .split('\n')
        .find((line) => line.startsWith(`| ${name} `))!
        .split('|')[2]!
        .trim();
    lab.advance(3);
    let processed = -1;
    for (let step = 0; step < 6; step++) {
      const text = await lab.out('control01', ['nova', 'server-migration-show', 'app01', '1']);
      expect(row(text, 'status')).toBe('running');
      expect(row(text, 'memory_total_bytes')).toBe(String(8 * GIB));
      const now = Number(row(text, 'memory_processed_bytes'));
      expect(now).toBeGreaterThan(processed);
      processed = now;
      lab.advance(10);
    }
    lab.advance(300);
    const gone = await lab.run('control01', ['nova', 'server-migration-show', 'app01', '1']);
    expect(gone.stderr).toMatch(
      /^ERROR \(NotFound\): In-progress live migration 1 is not found for server [0-9a-f-]{36}\. \(HTTP 404\)/,
    );
    expect(await lab.out('control01', ['nova', 'migration-list'])).toMatch(
      /\| 1 +\| node04\.example\.com .*\| completed +\|/,
    );
  });

  it('on stock Icehouse (no VIR_MIGRATE_LIVE) the paused copy converges even for db01; its downtime is the whole copy', async () => {
    const lab = worldFixture('icehouse');
    await lab.out('control01', ['nova', 'live-migration', '--block-migrate', 'db01', 'node04']);
    lab.advance(200);
    expect(await lab.field('db01', 'OS-EXT-SRV-ATTR:host')).toBe('node04');
    const instance = await lab.field('db01', 'OS-EXT-SRV-ATTR:instance_name');
    const info = jobInfo(await lab.out('node04', ['virsh', 'domjobinfo', '--completed', instance]));
    expect(info['Total downtime'] as number).toBeGreaterThan(130_000);
  });

  it('copies at the slower end of the link: web01 moves in seconds between two 10 GbE hosts', async () => {
    const migrateWeb01 = async (linkMiBps?: Record<string, number>) => {
      const lab = worldFixture('kilo-or-later', linkMiBps ? { linkMiBps } : {});
      await lab.out('control01', ['nova', 'live-migration', 'web01', 'node06']);
      lab.advance(10);
      return lab.field('web01', 'OS-EXT-SRV-ATTR:host');
    };
    expect(await migrateWeb01()).toBe('node01');
    expect(await migrateWeb01({ node01: 1170 })).toBe('node01');
    expect(await migrateWeb01({ node01: 1170, node06: 1170 })).toBe('node06');
    // The transport writes each hypervisor's link speed into livemig.yml from these specs.
    const specs = worldFixture('kilo-or-later', { linkMiBps: { node06: 1170 } }).world.hosts;
    expect(specs.find((host) => host.name === 'node06')?.linkMiBps).toBe(1170);
    expect(specs.find((host) => host.name === 'node07')?.linkMiBps).toBe(117);
  });

  it('refuses a link speed for a host the lab does not have', () => {
    expect(() => worldFixture('juno', { linkMiBps: { node99: 1170 } })).toThrow(/node99/);
    expect(() => worldFixture('juno', { linkMiBps: { control01: 1170 } })).toThrow(/hypervisor/);
  });
});
