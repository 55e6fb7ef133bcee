/**
 * A guest booted with cpu_mode=host-passthrough, on a cluster whose nova.conf now says
 * cpu_mode=custom / cpu_model=Westmere (the seed's). Every command gives one answer, derived from
 * the hosts' current nova.conf: a HARD reboot makes it portable (nova regenerates the guest CPU
 * from nova.conf), and after one it does pass to a Westmere host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResultValue } from '../../commands/audit.js';
import type { CheckReport } from '../../commands/check.js';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { runCli } from '../support/run-cli.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ hostPassthrough: ['git01'] });
});
afterAll(async () => {
  await lab?.stop();
});

async function check(vm: string, host: string): Promise<CheckReport> {
  const run = await runCli(['check', vm, host, '--json', '--config', lab.configPath]);
  return JSON.parse(run.stdout) as CheckReport;
}

const notPortableEver = /never be made portable|none possible|a reboot does not change/i;

describe('a host-passthrough guest (git01 on node03, Xeon E5-2670)', () => {
  it('check to a Westmere host blocks on the guest CPU, and the fix is the HARD reboot', async () => {
    const report = await check('git01', 'node06');
    expect(report.verdict).toBe('block');
    const guest = report.checks.find((c) => c.id === 'guest-cpu')!;
    expect(guest.status).toBe('block');
    expect(guest.explanation).toMatch(/lacks avx, osxsave, xsave, xsaveopt compared with node03/);
    // KVM emulates x2apic and tsc-deadline for every guest: no difference the guest could see.
    expect(guest.explanation).not.toMatch(/x2apic|tsc-deadline/);
    expect(`${guest.explanation} ${guest.fix ?? ''}`).not.toMatch(notPortableEver);
    expect(guest.fix).toMatch(/nova reboot --hard/);
  }, 60_000);

  it('check to a host with the same CPU says the same: it needs a HARD reboot once', async () => {
    const report = await check('git01', 'node04');
    const reboot = report.checks.find((c) => c.id === 'cpu-reboot')!;
    expect(reboot.status).not.toBe('pass');
    expect(reboot.fix).toMatch(/nova reboot --hard/);
    expect(JSON.stringify(report.checks)).not.toMatch(notPortableEver);
  }, 60_000);

  it('audit lists it with the HARD reboot as the fix, not "none possible"', async () => {
    const run = await runCli(['audit', '--json', '--config', lab.configPath]);
    const audit = JSON.parse(run.stdout) as AuditResultValue;
    const git01 = audit.guests.find((guest) => guest.name === 'git01');
    expect(git01?.cpuMode).toBe('host-passthrough');
    expect(git01?.incompatibleWith[0]?.missingFeatures).toEqual(['avx', 'osxsave', 'xsave', 'xsaveopt']);
    expect(git01?.fix.command).toMatch(/nova reboot --hard/);
    expect(JSON.stringify(git01)).not.toMatch(notPortableEver);
  }, 60_000);

  it('after the hard reboot it runs Westmere and passes the guest CPU check to node06', async () => {
    const executor = createSshExecutor(lab.config, readSecrets({}));
    try {
      await executor.run('control01', { program: 'nova', args: ['reboot', '--hard', 'git01'] });
    } finally {
      await executor.close();
    }
    const report = await check('git01', 'node06');
    expect(report.checks.find((c) => c.id === 'guest-cpu')?.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'cpu-reboot')?.status).toBe('pass');
  }, 60_000);
});
