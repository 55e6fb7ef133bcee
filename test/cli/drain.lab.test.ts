/**
 * `livemig drain` and `undrain` from a terminal, over real SSH to the seed lab: node05 holds
 * dstest (booted before the baseline: hard reboot first) and web04, app03, dns03 (movable).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrainResult } from '../../commands/drain.js';
import { resolveServer, serviceList } from '../../src/cluster/index.js';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { runCli } from '../support/run-cli.js';

let lab: Lab;
let executor: RemoteExecutor;
const movable = ['app03', 'dns03', 'web04'];

beforeAll(async () => {
  // A fast lab clock: the three copies take a few seconds of real time.
  lab = await startLab({ speed: 200 });
  executor = createSshExecutor(lab.config, readSecrets({}));
});
afterAll(async () => {
  await executor?.close();
  await lab?.stop();
});

const livemig = (...args: string[]) => runCli([...args, '--config', lab.configPath], { USER: 'alice' });

async function node05(): Promise<{ status: string; reason: string | null }> {
  const services = await serviceList(executor, 'control01', { computeOnly: true });
  const service = services.find((s) => s.host === 'node05')!;
  return { status: service.status, reason: service.disabledReason };
}

async function hostOf(vm: string): Promise<string | null> {
  return (await resolveServer(executor, 'control01', { nameOrUuid: vm })).host;
}

describe('livemig drain node05', () => {
  it('--dry-run shows the plan, with dstest kept for its hard reboot, and changes nothing', async () => {
    const run = await livemig('drain', 'node05', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Drain node05: 3 VM\(s\) move, 1 cannot\./);
    for (const vm of movable) expect(run.stdout).toMatch(new RegExp(`\\d\\. ${vm} node05 → node\\d\\d: `));
    expect(run.stdout).toMatch(/dstest on node05: .*hard reboot first/);
    expect(run.stdout).toMatch(/fix: nova reboot --hard [0-9a-f-]{36}, then plan the drain again\./);
    expect(run.stdout).toContain('PLANNED: Nothing was changed (--dry-run).');
    expect(await node05()).toEqual({ status: 'enabled', reason: null });
    for (const vm of movable) expect(await hostOf(vm)).toBe('node05');
  }, 120_000);

  it('without --yes and without a terminal to ask, changes nothing', async () => {
    const run = await livemig('drain', 'node05');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'DECLINED: Nothing was changed (not confirmed: not a terminal, so pass --yes to drain).',
    );
    expect(await node05()).toEqual({ status: 'enabled', reason: null });
  }, 120_000);

  it('refuses a host that is drained and named in --to at once', async () => {
    const run = await livemig('drain', 'node05', '--to', 'node05,node06', '--dry-run');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/node05 cannot be drained and receive VMs at once/);
  });

  it('--yes disables nova-compute on node05, moves the movable VMs, and says what is left', async () => {
    const run = await livemig('drain', 'node05', '--yes', '--json');
    const result = JSON.parse(run.stdout) as DrainResult;
    // dstest stays, so the host is not empty: exit 1 with the reason.
    expect(run.code).toBe(1);
    expect(result.outcome).toBe('not_empty');
    expect(result.drain?.moves.map((move) => [move.vm.name, move.state]).sort()).toEqual(
      movable.map((vm) => [vm, 'succeeded']),
    );
    for (const move of result.drain!.moves) expect(await hostOf(move.vm.name)).toBe(move.destination);
    expect(await hostOf('dstest')).toBe('node05');
    const status = await node05();
    expect(status.status).toBe('disabled');
    expect(status.reason).toMatch(/^livemig drain drn-[0-9a-f]{8} by alice at /);
    const left = result.drain!.leftOnSources![0]!;
    expect(left.servers?.map((server) => server.name)).toEqual(['dstest']);
    expect(left.domains).toHaveLength(1);
    // The human summary says the same.
    expect(result.message).toMatch(/^3 of 3 planned move\(s\) done in .*; 1 VM\(s\) could not move\.$/);
  }, 180_000);

  it('a drain with nothing movable left still runs when confirmed: nova-compute stays disabled, dstest is reported', async () => {
    const run = await livemig('drain', 'node05', '--yes', '--json');
    const result = JSON.parse(run.stdout) as DrainResult;
    expect(run.code).toBe(1);
    expect(result.outcome).toBe('not_empty');
    expect(result.drain?.state).toBe('finished');
    expect(result.drain?.moves).toEqual([]);
    expect(result.drain?.left.map((vm) => vm.vm.name)).toEqual(['dstest']);
    expect(result.drain?.leftOnSources?.[0]?.servers?.map((server) => server.name)).toEqual(['dstest']);
    expect((await node05()).status).toBe('disabled');
  }, 120_000);

  it('the drained host is not a destination any more: a new drain elsewhere does not plan onto it', async () => {
    const run = await livemig('drain', 'node04', '--dry-run', '--json');
    const result = JSON.parse(run.stdout) as DrainResult;
    expect(result.plan.moves.map((move) => move.destination)).not.toContain('node05');
  }, 120_000);

  it('undrain refuses a host outside the inventory, naming the hypervisors', async () => {
    const run = await livemig('undrain', 'node99');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /node99 is not a hypervisor of the inventory.*\n.*Hypervisors: node01, node02/,
    );
  });

  it('undrain node05 --return without a terminal to ask: enabled again, nothing moved back', async () => {
    const run = await livemig('undrain', 'node05', '--return');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Return to node05 \(drain drn-[0-9a-f]{8}\): 3 VM\(s\) move, 0 cannot\./);
    expect(run.stdout).toContain(
      'nova-compute on node05 is enabled: nova schedules VMs there again. Nothing was moved back (not confirmed: not a terminal, so pass --yes).',
    );
    expect(await node05()).toEqual({ status: 'enabled', reason: null });
    for (const vm of movable) expect(await hostOf(vm)).not.toBe('node05');
  }, 120_000);

  it('undrain node05 --return --yes brings back what the drain moved away', async () => {
    const run = await livemig('undrain', 'node05', '--return', '--yes');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 of 3 VM\(s\) of drain drn-[0-9a-f]{8} are back on node05\./);
    for (const vm of [...movable, 'dstest']) expect(await hostOf(vm)).toBe('node05');
    expect(await node05()).toEqual({ status: 'enabled', reason: null });
  }, 180_000);

  it('a second undrain --return finds nothing left to bring back', async () => {
    const run = await livemig('undrain', 'node05', '--return', '--yes');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Nothing of drain drn-[0-9a-f]{8} can come back now\./);
  }, 120_000);
});

describe('a move that fails during a drain', () => {
  let failing: Lab;
  let ssh: RemoteExecutor;
  beforeAll(async () => {
    failing = await startLab({ speed: 200 });
    ssh = createSshExecutor(failing.config, readSecrets({}));
  });
  afterAll(async () => {
    await ssh?.close();
    await failing?.stop();
  });

  const failure = 'Live Migration failure: operation failed: migration job: unexpectedly failed';
  const drain = (...args: string[]) =>
    runCli(['drain', 'node05', '--yes', '--json', ...args, '--config', failing.configPath], {
      USER: 'alice',
    });

  it('stops new starts by default: the moves still queued never start', async () => {
    // app03 starts first (the plan's order, one at a time from node05); its copy fails.
    failing.world.faults.failMigrationAt('app03', 'copying', failure);
    const result = JSON.parse((await drain()).stdout) as DrainResult;
    const states = Object.fromEntries(result.drain!.moves.map((move) => [move.vm.name, move]));
    expect(states.app03?.state).toBe('failed');
    for (const vm of ['web04', 'dns03']) {
      expect(states[vm]?.state).toBe('not_started');
      expect(states[vm]?.message).toBe(
        'not started: the drain stopped after app03 failed (--continue-on-failure goes on)',
      );
      expect((await resolveServer(ssh, 'control01', { nameOrUuid: vm })).host).toBe('node05');
    }
    expect(result.outcome).toBe('not_empty');
  }, 180_000);

  it('--continue-on-failure goes on with the others', async () => {
    failing.world.faults.failMigrationAt('app03', 'copying', failure);
    const result = JSON.parse((await drain('--continue-on-failure')).stdout) as DrainResult;
    expect(result.drain!.moves.map((move) => [move.vm.name, move.state]).sort()).toEqual([
      ['app03', 'failed'],
      ['dns03', 'succeeded'],
      ['web04', 'succeeded'],
    ]);
    expect((await resolveServer(ssh, 'control01', { nameOrUuid: 'app03' })).host).toBe('node05');
  }, 180_000);
});
