/**
 * `livemig migrate / reboot / status / history / cancel` end to end: the CLI in-process, real SSH
 * to the lab (running 40x faster than real time), the store in the lab's data dir.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { MigrateResult } from '../../commands/migrate.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { runCli } from '../support/run-cli.js';

describe('livemig migrate and friends, over SSH to the lab', () => {
  let lab: Lab;
  let configPath: string;
  beforeAll(async () => {
    lab = await startLab({ release: 'icehouse-patched', speed: 40 });
    const config = parse(await readFile(lab.configPath, 'utf8')) as Record<string, unknown>;
    config.limits = { ...(config.limits as object), migrationPollIntervalMs: 50 };
    configPath = join(lab.dir, 'livemig-fast.yml');
    await writeFile(configPath, stringify(config));
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const livemig = (...args: string[]) => runCli([...args, '--config', configPath], { USER: 'alice' });

  it('refuses to migrate without --yes when nobody can be asked, and changes nothing', async () => {
    lab.commandLog.clear();
    const run = await livemig('migrate', 'web01', 'node02');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✓ \d+ checks passed \(--verbose lists them\)/);
    expect(run.stdout).toMatch(
      /DECLINED: Nothing was changed \(not confirmed: not a terminal, so pass --yes to migrate\)/,
    );
    expect(lab.commandLog.entries().some((e) => e.argv?.[1] === 'live-migration')).toBe(false);
  });

  it('migrates with --yes, printing the checklist, progress lines and the summary; exit 0', async () => {
    const run = await livemig('migrate', 'web01', 'node02', '--yes');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/web01: created \/var\/lib\/nova\/instances\/\S+ on node02 \(nova:nova\)/);
    expect(run.stdout).toMatch(/web01: \d+% .* sent, .* left, \d+ MiB\/s/);
    expect(run.stdout).toMatch(/SUCCEEDED: web01 now runs on node02/);
  });

  it('prints the result as JSON with --json, progress going to stderr', async () => {
    const run = await livemig('migrate', 'web01', 'node01', '--yes', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as MigrateResult;
    expect(result).toMatchObject({
      kind: 'migrate',
      outcome: 'succeeded',
      migration: { state: 'succeeded', destination: 'node01' },
    });
    expect(result.request?.decisions).toEqual([
      expect.objectContaining({ kind: 'approved', actor: { id: 'alice', via: 'cli', name: 'alice' } }),
    ]);
    expect(run.stderr).toMatch(/web01: verifying/);
  });

  it('exits 1 for a blocked migration and names the blocking check', async () => {
    const run = await livemig('migrate', 'dstest', 'node10', '--yes');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ Guest CPU on node10/);
    expect(run.stdout).toMatch(/BLOCKED: The pre-flight blocks this migration/);
  });

  it('says blocked twice the same way in --json: the outcome and the request state', async () => {
    const run = await livemig('migrate', 'dstest', 'node10', '--yes', '--json');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as MigrateResult;
    expect(result.outcome).toBe('blocked');
    expect(result.request?.state).toBe('blocked');
  });

  it('hard-reboots with --yes and reports the new live CPU', async () => {
    const run = await livemig('reboot', 'dstest', '--yes');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/live CPU before: SandyBridge, after: Westmere, configured: Westmere/);
  });

  it('refuses a second hard reboot that would change nothing (exit 1, nothing sent), unless --force', async () => {
    lab.commandLog.clear();
    const refused = await livemig('reboot', 'dstest', '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /^NOT NEEDED: no longer needed: dstest already runs Westmere on node05, the cpu_model its nova\.conf configures\. Nothing was rebooted; pass --force to reboot anyway\./,
    );
    expect(lab.commandLog.entries('control01').some((e) => e.argv?.[1] === 'reboot')).toBe(false);

    const forced = await livemig('reboot', 'dstest', '--yes', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/live CPU before: Westmere, after: Westmere, configured: Westmere/);
    expect(lab.commandLog.entries('control01').filter((e) => e.argv?.[1] === 'reboot')).toHaveLength(1);
  });

  it('lists history newest first, and status with nothing running', async () => {
    const history = await livemig('history');
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/web01 node02 → node01 {2}SUCCEEDED/);
    expect(lines[1]).toMatch(/web01 node01 → node02 {2}SUCCEEDED/);
    const status = await livemig('status');
    expect(status.stdout).toMatch(/Running: none\nQueued: none\nAwaiting approval: none/);
  });

  it('refuses to cancel an id it does not know', async () => {
    const run = await livemig('cancel', 'mig-00000000');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/no request or migration mig-00000000/);
  });
});
