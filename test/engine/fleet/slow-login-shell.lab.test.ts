/**
 * A host whose login shell is slow (a `~/.bashrc` running `pyenv init`, whose `pyenv rehash` lock
 * every shell of the host shares): fleet commands still complete, from every host. The lab's
 * startup delay and livemig's command timeout are scaled down together (2 s of 5 s here, like
 * ~16 s of the default 60 s on the held-out cluster) so the test runs in seconds.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { AuditResultValue } from '../../../commands/audit.js';
import type { BaselineResultValue } from '../../../commands/baseline.js';
import type { HostsResultValue } from '../../../commands/hosts.js';
import { createInstanceDir, statInstanceDir } from '../../../src/cluster/index.js';
import { readSecrets } from '../../../src/config/load-config.js';
import { type Lab, startLab } from '../../../src/lab/index.js';
import { createSshExecutor } from '../../../src/ssh/executor.js';
import { runCli } from '../../support/run-cli.js';

describe('fleet commands with a slow login shell on node03', () => {
  let lab: Lab;
  let configPath: string;

  beforeAll(async () => {
    lab = await startLab({ slowLoginShellMs: { node03: 2_000 } });
    const config = parse(await readFile(lab.configPath, 'utf8')) as Record<string, unknown>;
    config.limits = { ...(config.limits as object | undefined), sshCommandTimeoutMs: 5_000 };
    configPath = join(lab.dir, 'slow-shell.yml');
    await writeFile(configPath, stringify(config));
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('audit answers from every host, node03 included, although its shells start one at a time', async () => {
    const run = await runCli(['--config', configPath, '--json', 'audit']);
    const result = JSON.parse(run.stdout) as AuditResultValue;
    expect(result.unreachable).toEqual([]);
    expect(result.hostsChecked).toBe(10);
    expect(result.guests.map((guest) => guest.name)).toEqual(['dstest']);
    // …and names the slow host, with what to do about it.
    expect(result.slow.map((slow) => slow.host)).toContain('node03');
    const text = (await runCli(['--config', configPath, 'audit'])).stdout;
    expect(text).toMatch(
      /Slow to answer \(\d+\), checked anyway:\n(?:.*\n)*? {2}node03: \d+\.\d s \(the median host \d+\.\d s\); a login shell/,
    );
  }, 120_000);

  it('baseline and hosts answer from every host too', async () => {
    const baseline = JSON.parse(
      (await runCli(['--config', configPath, '--json', 'baseline'])).stdout,
    ) as BaselineResultValue;
    expect(baseline.unreachable).toEqual([]);
    expect(baseline.baselines[0]?.hosts).toHaveLength(10);
    expect(baseline.slow.map((slow) => slow.host)).toContain('node03');
    const hosts = JSON.parse(
      (await runCli(['--config', configPath, '--json', 'hosts'])).stdout,
    ) as HostsResultValue;
    expect(hosts.hosts.filter((row) => row.error !== null)).toEqual([]);
  }, 120_000);

  it('ends a command it gave up on at the host: a mkdir killed in its shell startup never runs', async () => {
    const executor = createSshExecutor(lab.config, readSecrets({}));
    const args = { instancesPath: '/var/lib/nova/instances', uuid: '0b5e5b1e-4c1d-4f0e-9a51-5c0d1e2f3a4b' };
    try {
      await createInstanceDir(executor, 'node03', args);
      // The same with a timeout shorter than the shell startup: livemig signals the session.
      const short = createSshExecutor(
        { ...lab.config, limits: { ...lab.config.limits, sshCommandTimeoutMs: 500 } },
        readSecrets({}),
      );
      const other = { ...args, uuid: '7c1f0e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f' };
      try {
        await expect(createInstanceDir(short, 'node03', other)).rejects.toMatchObject({
          code: 'ssh_timeout',
        });
      } finally {
        await short.close();
      }
      // Long after its shell would have started, the directory still does not exist.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect((await statInstanceDir(executor, 'node03', other)).exists).toBe(false);
      expect((await statInstanceDir(executor, 'node03', args)).exists).toBe(true);
    } finally {
      await executor.close();
    }
  }, 60_000);
});
