/**
 * The controller down while an operator checks or migrates: both commands blame control01 (where
 * nova runs), not a hypervisor, change nothing, and end with the same exit code (1, blocked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrateResult } from '../../commands/migrate.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { runCli } from '../support/run-cli.js';

describe('livemig check and migrate with control01 down', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ release: 'icehouse-patched' });
    await lab.faults.apply({ kind: 'down', host: 'control01' });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const livemig = (...args: string[]) => runCli([...args, '--config', lab.configPath], { USER: 'alice' });

  it('check blocks, blaming control01 for everything nova was to answer; exit 1', async () => {
    const run = await livemig('check', 'web02', 'node01');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '✗ VM web02: nova show web02 failed on control01: cannot connect to control01',
    );
    expect(run.stdout).toMatch(
      /✗ Hosts answered: control01 could not be reached: cannot connect to control01 [^\n]*\(needed for capacity of the destination \(hypervisor-show\), nova-compute state \(service-list\)\)\n/,
    );
    expect(run.stdout).not.toMatch(/node0\d could not be reached/);
    expect(run.stdout).not.toContain('..');
    expect(run.stdout).toContain('BLOCKED');
  });

  it('migrate blocks the same way: exit 1, control01 named, nothing changed', async () => {
    lab.commandLog.clear();
    const run = await livemig('migrate', 'web02', 'node01', '--yes');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /^BLOCKED: nova show web02 got no answer: cannot connect to control01 at [^\n]*\. Nothing was changed\.\n$/,
    );
    const json = await livemig('migrate', 'web02', 'node01', '--yes', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout) as MigrateResult).toMatchObject({
      outcome: 'blocked',
      request: null,
      migration: null,
    });
    // Nothing went past the failed `nova show`: no hypervisor was asked anything.
    expect(lab.commandLog.entries().filter((e) => e.host !== 'control01')).toEqual([]);
  });
});
