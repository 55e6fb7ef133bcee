import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { SimClock } from '../../src/util/clock.js';

/**
 * The world's answers are checked format by format in test/lab/world; here every command of the
 * lab's surface goes through livemig's own SSH client and must come back byte for byte as the
 * world gave it (stdout, stderr, exit status), on a lab clock that does not move in between.
 */
describe('the whole command surface through src/ssh (kilo-or-later lab, one migration running)', () => {
  let lab: Lab;
  let clock: SimClock;
  let executor: RemoteExecutor;
  let dstest: string;
  let dir: string;
  /** libvirt domain names, looked up through nova show: {dstest} on node05, {web01} on node01. */
  const domains: Record<string, string> = {};

  const overSsh = (host: string, argv: string[], stdin?: string) =>
    executor.run(host, {
      program: argv[0]!,
      args: argv.slice(1),
      sudo: true,
      ...(stdin === undefined ? {} : { stdin }),
    });
  const direct = (host: string, argv: string[], stdin = '') =>
    lab.world.handle({ host, argv, stdin, sudo: true, user: 'root', rawCommand: argv.join(' ') });

  beforeAll(async () => {
    clock = new SimClock(Date.UTC(2026, 0, 1));
    lab = await startLab({ clock, release: 'kilo-or-later' });
    executor = createSshExecutor(lab.config, readSecrets({}));
    const show = (await overSsh('control01', ['nova', 'show', 'dstest'])).stdout;
    dstest = /\| id +\| ([0-9a-f-]{36}) /.exec(show)![1]!;
    dir = `/var/lib/nova/instances/${dstest}`;
    for (const vm of ['dstest', 'web01']) {
      const text = (await overSsh('control01', ['nova', 'show', vm])).stdout;
      domains[`{${vm}}`] = /\| OS-EXT-SRV-ATTR:instance_name +\| (\S+) /.exec(text)![1]!;
    }
    // A Westmere guest leaving a SandyBridge host is allowed on Kilo: web01 is copying from now on.
    const started = await overSsh('control01', ['nova', 'live-migration', 'web01', 'node06']);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    clock.advance(2_000);
  });
  afterAll(async () => {
    await executor?.close();
    await lab?.stop();
  });

  const surface: Array<[host: string, argv: string[]]> = [
    ['node05', ['virsh', 'capabilities']],
    ['node05', ['virsh', 'list', '--all']],
    ['node05', ['virsh', 'dumpxml', '{dstest}']],
    ['node05', ['virsh', 'domstate', '{dstest}']],
    ['node05', ['virsh', 'domjobinfo', '{dstest}']],
    ['node01', ['virsh', 'domjobinfo', '{web01}']],
    ['node01', ['virsh', 'dumpxml', '{dstest}']],
    ['node05', ['virsh', 'undefined-subcommand']],
    ['node05', ['cat', '/proc/cpuinfo']],
    ['node05', ['cat', '/etc/nova/nova.conf']],
    ['node05', ['cat', '/etc/shadow']],
    ['node05', ['tail', '-n', '5', '/var/log/nova/nova-compute.log']],
    ['node05', ['ls', '-ld', '/var/lib/nova/instances']],
    ['node05', ['ls', '-ld', '/root']],
    ['node05', ['no-such-program', '--flag']],
    ['node05', ['nova', 'list']],
    ['control01', ['nova', 'list']],
    ['control01', ['nova', 'list', '--all-tenants']],
    ['control01', ['nova', 'show', 'db01']],
    ['control01', ['nova', 'hypervisor-list']],
    ['control01', ['nova', 'hypervisor-show', 'node05']],
    ['control01', ['nova', 'service-list']],
    ['control01', ['nova', 'migration-list']],
    ['control01', ['nova', 'server-migration-list', 'web01']],
    ['control01', ['nova', 'server-migration-show', 'web01', '1']],
    ['control01', ['virsh', 'list']],
  ];

  it.each(surface)('%s: %j answers over SSH exactly as the world does', async (host, template) => {
    const argv = template.map((word) => domains[word] ?? word);
    const viaSsh = await overSsh(host, argv);
    const expected = await direct(host, argv);
    expect({ code: viaSsh.code, stdout: viaSsh.stdout, stderr: viaSsh.stderr }).toEqual(expected);
  });

  it('the commands it was given really are the running ones: web01 shows up migrating', async () => {
    const jobs = await overSsh('control01', ['nova', 'server-migration-list', 'web01']);
    expect(jobs.stdout).toMatch(/\| running +\|/);
    const job = await overSsh('node01', ['virsh', 'domjobinfo', domains['{web01}']!]);
    expect(job.stdout).toMatch(/^Job type: +Unbounded +\nOperation: +Outgoing migration\n/);
  });

  it('reads a file from stdin: cpu-baseline /dev/stdin and cpu-compare /dev/stdin', async () => {
    const cpu = /<cpu>[\s\S]*?<\/cpu>/.exec((await overSsh('node05', ['virsh', 'capabilities'])).stdout)![0];
    for (const argv of [
      ['virsh', 'cpu-baseline', '/dev/stdin'],
      ['virsh', 'cpu-baseline', '--features', '/dev/stdin'],
      ['virsh', 'cpu-compare', '/dev/stdin'],
    ]) {
      const viaSsh = await overSsh('node10', argv, cpu);
      expect({ code: viaSsh.code, stdout: viaSsh.stdout, stderr: viaSsh.stderr }).toEqual(
        await direct('node10', argv, cpu),
      );
    }
    expect((await overSsh('node10', ['virsh', 'cpu-compare', '/dev/stdin'], cpu)).stdout).toContain(
      'incompatible',
    );
  });

  it('changes state over SSH: instance dirs, services, reboot', async () => {
    const steps: Array<[string, string[]]> = [
      ['node10', ['test', '-d', dir]],
      ['node10', ['mkdir', '-p', dir]],
      ['node10', ['chown', 'nova:nova', dir]],
      ['node10', ['ls', '-ld', dir]],
      ['node10', ['rm', '-rf', dir]],
      ['node10', ['test', '-d', dir]],
      ['control01', ['nova', 'service-disable', '--reason', 'maintenance', 'node09', 'nova-compute']],
      ['control01', ['nova', 'service-enable', 'node09', 'nova-compute']],
      ['control01', ['nova', 'reboot', '--hard', dstest]],
    ];
    const codes: number[] = [];
    for (const [host, argv] of steps) {
      const result = await overSsh(host, argv);
      codes.push(result.code ?? -1);
    }
    expect(codes).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0]);
    const services = await direct('control01', ['nova', 'service-list']);
    expect(services.stdout).toMatch(/\| nova-compute +\| node09 +\| \S+ +\| enabled +\|/);
  });

  it('aborts one migration and force-completes another over SSH', async () => {
    // db01 (node03) dirties memory faster than 1 GbE copies it: only force-complete ends its copy.
    expect((await overSsh('control01', ['nova', 'live-migration', 'db01', 'node07'])).code).toBe(0);
    clock.advance(10_000);
    const idOf = async (vm: string) => {
      const list = (await overSsh('control01', ['nova', 'server-migration-list', vm])).stdout;
      return /^\| (\d+) +\| [0-9a-f-]{36} \| /m.exec(list)![1]!;
    };
    const forced = await overSsh('control01', [
      'nova',
      'live-migration-force-complete',
      'db01',
      await idOf('db01'),
    ]);
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    const aborted = await overSsh('control01', [
      'nova',
      'live-migration-abort',
      'web01',
      await idOf('web01'),
    ]);
    expect(aborted).toMatchObject({ code: 0, stderr: '' });
    clock.advance(600_000);
    const db01 = (await overSsh('control01', ['nova', 'show', 'db01'])).stdout;
    expect(db01).toMatch(/\| OS-EXT-SRV-ATTR:host +\| node07 +\|/);
    expect(db01).toMatch(/\| status +\| ACTIVE +\|/);
    const web01 = (await overSsh('control01', ['nova', 'show', 'web01'])).stdout;
    expect(web01).toMatch(/\| OS-EXT-SRV-ATTR:host +\| node01 +\|/);
    expect(web01).toMatch(/\| status +\| ACTIVE +\|/);
  });
});
