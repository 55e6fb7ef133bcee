/**
 * Ctrl-C during `livemig migrate` cancels the migration: a real child process, a real SIGINT, the
 * lab in this process (real time, so the copy of web03 lasts long enough to be interrupted).
 */
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { resolveServer } from '../../src/cluster/index.js';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { spawnLivemig } from '../support/foreground.js';

describe('Ctrl-C during livemig migrate', () => {
  let lab: Lab;
  let configPath: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    lab = await startLab({ release: 'icehouse-patched' });
    const config = parse(await readFile(lab.configPath, 'utf8')) as Record<string, unknown>;
    config.limits = { ...(config.limits as object), migrationPollIntervalMs: 200 };
    configPath = join(lab.dir, 'livemig-interrupt.yml');
    await writeFile(configPath, stringify(config));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await lab?.stop();
  });

  it('aborts the copy, confirms the VM still runs on its source, and exits 1 CANCELLED', async () => {
    lab.commandLog.clear();
    const run = spawnLivemig(['migrate', 'web03', 'node10', '--yes', '--config', configPath], {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      USER: 'alice',
    });
    child = run.child;
    await run.waitForStdout(/web03: \d+% /);
    child.kill('SIGINT');
    expect(await run.exited).toBe(1);
    const stdout = run.stdout();
    const stderr = run.stderr();
    expect(stderr).toMatch(/Ctrl-C: cancelling mig-[0-9a-f]+/);
    expect(stdout).toMatch(/CANCELLED: /);
    expect(stdout).not.toMatch(/SUCCEEDED/);
    expect(
      lab.commandLog.entries('node06').some((e) => e.argv?.[0] === 'virsh' && e.argv[1] === 'domjobabort'),
    ).toBe(true);
    const executor = createSshExecutor(lab.config, readSecrets({}));
    try {
      const web03 = await resolveServer(executor, 'control01', { nameOrUuid: 'web03' });
      expect(web03).toMatchObject({ host: 'node06', status: 'ACTIVE' });
    } finally {
      await executor.close();
    }
  }, 120_000);
});
