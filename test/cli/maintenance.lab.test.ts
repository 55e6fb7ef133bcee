/**
 * `livemig maintenance` from a terminal over real SSH to the seed lab: node05 (web04, app03, dns03
 * movable; dstest waits for its hard reboot) and node04 (app01, ci01), one host at a time, with
 * Done said by `--done HOST` (no terminal to ask) and the VMs brought back (--return).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaintenanceResult } from '../../commands/maintenance.js';
import { resolveServer, serviceList } from '../../src/cluster/index.js';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { runCli } from '../support/run-cli.js';

let lab: Lab;
let executor: RemoteExecutor;

beforeAll(async () => {
  lab = await startLab({ speed: 200 });
  executor = createSshExecutor(lab.config, readSecrets({}));
});
afterAll(async () => {
  await executor?.close();
  await lab?.stop();
});

const livemig = (...args: string[]) => runCli([...args, '--config', lab.configPath], { USER: 'alice' });
const maintenance = async (...args: string[]) => {
  const run = await livemig('maintenance', 'node05', 'node04', '--return', '--json', ...args);
  return { code: run.code, result: JSON.parse(run.stdout) as MaintenanceResult, stderr: run.stderr };
};

async function computeStatus(): Promise<Record<string, string>> {
  const services = await serviceList(executor, 'control01', { computeOnly: true });
  return Object.fromEntries(services.map((s) => [s.host, s.status]));
}

async function hostOf(vm: string): Promise<string | null> {
  return (await resolveServer(executor, 'control01', { nameOrUuid: vm })).host;
}

describe('livemig maintenance node05 node04 --return', () => {
  it('drains node05 first and waits for its maintenance, saying how to go on', async () => {
    const { code, result } = await maintenance('--yes');
    expect(code).toBe(1);
    expect(result.outcome).toBe('waiting');
    expect(result.campaign.hosts.map((h) => [h.host, h.step])).toEqual([
      ['node05', 'awaiting_done'],
      ['node04', 'waiting'],
    ]);
    expect(result.campaign.hosts[0]!.message).toMatch(
      /^node05 is disabled; still on it: dstest \(dstest: nova reboot --hard .*\): do your maintenance, then press Done\.$/,
    );
    expect(result.message).toContain('livemig maintenance node05 node04 --done node05');
    expect(await computeStatus()).toMatchObject({ node05: 'disabled', node04: 'enabled' });
    for (const vm of ['web04', 'app03', 'dns03']) expect(await hostOf(vm)).not.toBe('node05');
    // status names the campaign and where it is.
    const status = await livemig('status');
    expect(status.stdout).toMatch(
      /Maintenance \(1\):\n {2}mnt-[0-9a-f]{8} {2}node05, node04 {2}running\n {4}node05: awaiting done \(drn-/,
    );
  }, 240_000);

  it('Done on node05 enables it, brings its VMs back, and drains node04', async () => {
    const { code, result } = await maintenance('--done', 'node05');
    expect(code).toBe(1);
    expect(result.outcome).toBe('waiting');
    expect(result.campaign.hosts.map((h) => [h.host, h.step])).toEqual([
      ['node05', 'done'],
      ['node04', 'awaiting_done'],
    ]);
    expect(result.campaign.hosts[0]!.message).toBe('node05 is enabled again; 3 of 3 VM(s) are back on it.');
    expect(result.campaign.hosts[1]!.message).toMatch(/^node04 is empty and disabled: do your maintenance/);
    for (const vm of ['web04', 'app03', 'dns03']) expect(await hostOf(vm)).toBe('node05');
    for (const vm of ['app01', 'ci01']) expect(await hostOf(vm)).not.toBe('node04');
    expect(await computeStatus()).toMatchObject({ node05: 'enabled', node04: 'disabled' });
  }, 240_000);

  it('Done on node04 finishes the campaign with every host enabled and every VM home', async () => {
    const { code, result } = await maintenance('--done', 'node04');
    expect(code).toBe(0);
    expect(result.outcome).toBe('finished');
    expect(result.campaign.state).toBe('finished');
    for (const vm of ['app01', 'ci01']) expect(await hostOf(vm)).toBe('node04');
    expect(await computeStatus()).toMatchObject({ node05: 'enabled', node04: 'enabled' });
    const history = await livemig('history');
    expect(history.stdout).toMatch(/mnt-[0-9a-f]{8} {2}maintenance node05, node04 {2}FINISHED/);
  }, 240_000);

  it('--done with no campaign under way says so', async () => {
    const run = await livemig('maintenance', 'node01', '--done', 'node01');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no maintenance of node01 is under way/);
  });
});
