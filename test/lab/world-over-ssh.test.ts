import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { SimClock } from '../../src/util/clock.js';

/** The seed's runbook (reference §1), step by step, through livemig's own SSH executor. */
describe('the seed runbook against the lab over SSH (patched Icehouse)', () => {
  let lab: Lab;
  let clock: SimClock;
  let executor: RemoteExecutor;

  beforeAll(async () => {
    clock = new SimClock();
    lab = await startLab({ clock, release: 'icehouse-patched' });
    executor = createSshExecutor(lab.config, readSecrets({}));
  });
  afterAll(async () => {
    await executor.close();
    await lab.stop();
  });

  const run = async (host: string, program: string, args: string[], stdin?: string): Promise<string> => {
    const result = await executor.run(host, {
      program,
      args,
      sudo: true,
      ...(stdin === undefined ? {} : { stdin }),
    });
    if (result.code !== 0) throw new Error(`${program} ${args.join(' ')} on ${host}: ${result.stderr}`);
    return result.stdout;
  };

  it('computes the fleet baseline from every hypervisor: Westmere', async () => {
    const cpus: string[] = [];
    for (const host of lab.hosts.filter((spec) => spec.role === 'hypervisor')) {
      cpus.push(/<cpu>[\s\S]*?<\/cpu>/.exec(await run(host.name, 'virsh', ['capabilities']))![0]);
    }
    const baseline = await run('node01', 'virsh', ['cpu-baseline', '/dev/stdin'], cpus.join('\n'));
    expect(baseline).toContain("<model fallback='allow'>Westmere</model>");
  });

  it('moves a hard-rebooted dstest to node10 after creating its instance dir there', async () => {
    const show = await run('control01', 'nova', ['show', 'dstest']);
    const uuid = /\| id +\| ([0-9a-f-]{36}) /.exec(show)![1]!;
    await run('control01', 'nova', ['reboot', '--hard', uuid]);
    const dir = `/var/lib/nova/instances/${uuid}`;
    await run('node10', 'mkdir', ['-p', dir]);
    await run('node10', 'chown', ['nova:nova', dir]);
    await run('control01', 'nova', ['live-migration', uuid, 'node10']);
    expect(await run('control01', 'nova', ['show', uuid])).toMatch(/\| status +\| MIGRATING +\|/);
    clock.advance(120_000);
    const after = await run('control01', 'nova', ['show', uuid]);
    expect(after).toMatch(/\| OS-EXT-SRV-ATTR:host +\| node10 +\|/);
    expect(after).toMatch(/\| status +\| ACTIVE +\|/);
    await run('node05', 'rm', ['-rf', dir]);
    expect((await executor.run('node05', { program: 'test', args: ['-d', dir], sudo: true })).code).toBe(1);
  });
});
