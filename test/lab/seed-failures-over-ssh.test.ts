import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecrets } from '../../src/config/load-config.js';
import type { NovaRelease } from '../../src/config/schema.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { SimClock } from '../../src/util/clock.js';

/** A request id as novaclient prints it (random per request). */
const requestId = 'req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface SshLab {
  lab: Lab;
  clock: SimClock;
  ssh: RemoteExecutor;
  run(host: string, argv: string[]): ReturnType<RemoteExecutor['run']>;
}

async function sshLab(release: NovaRelease): Promise<SshLab> {
  const clock = new SimClock(Date.UTC(2026, 0, 1));
  const lab = await startLab({ clock, release });
  const ssh = createSshExecutor(lab.config, readSecrets({}));
  return {
    lab,
    clock,
    ssh,
    run: (host, argv) => ssh.run(host, { program: argv[0]!, args: argv.slice(1), sudo: true }),
  };
}

/**
 * The seed's three failures (reference §1 and §2), word for word, as an operator sees them
 * through livemig's own SSH client: InvalidCPUInfo and InvalidSharedStorage from stock Icehouse,
 * DestinationDiskExists from Juno when the runbook's pre-created dir is still there.
 */
describe("the seed's failure messages, verbatim over SSH", () => {
  const labs: SshLab[] = [];
  let icehouse: SshLab;
  let juno: SshLab;

  beforeAll(async () => {
    [icehouse, juno] = await Promise.all([sshLab('icehouse'), sshLab('juno')]);
    labs.push(icehouse, juno);
  });
  afterAll(async () => {
    for (const { ssh, lab } of labs) {
      await ssh.close();
      await lab.stop();
    }
  });

  it('stock Icehouse: dstest node05 -> node10 fails with InvalidCPUInfo (bug 1082414)', async () => {
    const result = await icehouse.run('control01', ['nova', 'live-migration', 'dstest', 'node10']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^${literal(
          "ERROR (BadRequest): Remote error: InvalidCPUInfo_Remote Unacceptable CPU info: CPU doesn't have compatibility.\n\n0\n\nRefer to http://libvirt.org/html/libvirt-libvirt.html#virCPUCompareResult (HTTP 400) (Request-ID: ",
        )}${requestId}\\)\\n$`,
      ),
    );
    const host = await icehouse.run('control01', ['nova', 'show', 'dstest']);
    expect(host.stdout).toMatch(/\| OS-EXT-SRV-ATTR:host +\| node05 +\|/);
  });

  it('stock Icehouse: a CPU-compatible pair fails with InvalidSharedStorage', async () => {
    const result = await icehouse.run('control01', ['nova', 'live-migration', 'lb02', 'node06']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^${literal(
          'ERROR (BadRequest): Remote error: InvalidSharedStorage_Remote node06 is not on shared storage: Live migration can not be used without shared storage. (HTTP 400) (Request-ID: ',
        )}${requestId}\\)\\n$`,
      ),
    );
  });

  it('Juno: the pre-created instance dir makes the migration fail with DestinationDiskExists', async () => {
    const show = (await juno.run('control01', ['nova', 'show', 'web03'])).stdout;
    const uuid = /\| id +\| ([0-9a-f-]{36}) /.exec(show)![1]!;
    const source = /\| OS-EXT-SRV-ATTR:host +\| (\S+) /.exec(show)![1]!;
    const dir = `/var/lib/nova/instances/${uuid}`;
    expect((await juno.run('node07', ['mkdir', '-p', dir])).code).toBe(0);
    expect((await juno.run('node07', ['chown', 'nova:nova', dir])).code).toBe(0);
    expect(await juno.run('control01', ['nova', 'live-migration', uuid, 'node07'])).toMatchObject({
      code: 0,
      stderr: '',
    });
    juno.clock.advance(60_000);
    const log = await juno.run('node07', ['tail', '-n', '20', '/var/log/nova/nova-compute.log']);
    expect(log.stdout).toContain(
      `DestinationDiskExists: The supplied disk path (${dir}) already exists, it is expected not to exist.`,
    );
    const after = (await juno.run('control01', ['nova', 'show', uuid])).stdout;
    expect(after).toMatch(new RegExp(`\\| OS-EXT-SRV-ATTR:host +\\| ${source} +\\|`));
    expect(after).toMatch(/\| status +\| ACTIVE +\|/);
  });
});
