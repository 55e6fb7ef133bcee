import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';

/** Runs one command on a lab host over SSH, as livemig would. */
async function run(lab: Lab, host: string, program: string, args: string[]) {
  const executor = createSshExecutor(lab.config, readSecrets({}));
  try {
    return await executor.run(host, { program, args });
  } finally {
    await executor.close();
  }
}

describe('a lab that keeps its world (livemig start --dir)', () => {
  let dir = '';
  let lab: Lab | undefined;
  afterEach(async () => {
    await lab?.stop();
    lab = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const path = '/var/lib/nova/instances/kept-across-restarts';

  it('comes back with what the last one changed, and its clock carries on', async () => {
    dir = await mkdtemp(join(tmpdir(), 'livemig-kept-'));
    lab = await startLab({ dir, keepWorld: true, speed: 50 });
    expect((await run(lab, 'node10', 'mkdir', [path])).code).toBe(0);
    await lab.faults.apply({ kind: 'nova-compute-down', host: 'node07' });
    const stoppedAt = lab.clock.now();
    await lab.stop();

    lab = await startLab({ dir, keepWorld: true, speed: 50 });
    expect((await run(lab, 'node10', 'test', ['-d', path])).code).toBe(0);
    const services = await run(lab, 'control01', 'nova', ['service-list']);
    expect(services.stdout).toMatch(/nova-compute\s*\|\s*node07\s*\|.*\|\s*down\s*\|/);
    expect(lab.clock.now()).toBeGreaterThanOrEqual(stoppedAt);
  });

  it('starts afresh without keepWorld, as `livemig lab` does', async () => {
    dir = await mkdtemp(join(tmpdir(), 'livemig-kept-'));
    lab = await startLab({ dir, keepWorld: true });
    expect((await run(lab, 'node10', 'mkdir', [path])).code).toBe(0);
    await lab.stop();

    lab = await startLab({ dir });
    expect((await run(lab, 'node10', 'test', ['-d', path])).code).not.toBe(0);
  });
});
