import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResultValue } from '../../../commands/audit.js';
import type { BaselineResultValue } from '../../../commands/baseline.js';
import { type HostsResultValue, hostsCommand } from '../../../commands/hosts.js';
import { terminalCaller } from '../../../commands/types.js';
import { clusterServicesOver } from '../../../src/compose.js';
import { readSecrets } from '../../../src/config/load-config.js';
import { type Lab, startLab } from '../../../src/lab/index.js';
import { createSshExecutor } from '../../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../../src/ssh/types.js';
import { systemClock } from '../../../src/util/clock.js';
import { runCli } from '../../support/run-cli.js';

const operator = terminalCaller('operator');

const westmereHosts = ['node06', 'node07', 'node08', 'node09', 'node10'];

describe('livemig baseline / audit / hosts on the seed lab', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({});
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('computes the Westmere baseline, names the Westmere hosts as the limit and prints the nova.conf lines', async () => {
    const { code, stdout } = await runCli(['--config', lab.configPath, 'baseline']);
    expect(code).toBe(0);
    expect(stdout).toContain('CPU baseline of 10 hypervisor(s): Westmere (Intel)');
    expect(stdout).toMatch(
      /Limited by Westmere hosts node06, node07, node08, node09, node10: they lack .*\bavx\b/,
    );
    expect(stdout).toContain('[libvirt]\ncpu_mode = custom\ncpu_model = Westmere');
    expect(stdout).toContain("<model fallback='allow'>Westmere</model>");
  });

  it('lists dstest as needing a HARD reboot and names the features Westmere hosts lack', async () => {
    const { code, stdout } = await runCli(['--config', lab.configPath, 'audit']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/dstest \([0-9a-f-]{36}\) on node05: live CPU custom SandyBridge/);
    expect(stdout).toContain(
      '    not runnable on Westmere hosts (node06, node07, node08, node09, node10): missing avx osxsave xsave xsaveopt\n',
    );
    expect(stdout).toMatch(
      /fix: HARD reboot \(a soft reboot keeps the old CPU\): nova reboot --hard [0-9a-f-]{36}/,
    );

    const json = JSON.parse(
      (await runCli(['--config', lab.configPath, '--json', 'audit'])).stdout,
    ) as AuditResultValue;
    expect(json.baselines.map((b) => b.model)).toEqual(['Westmere']);
    expect(json.drift).toEqual([]);
    expect(json.guests.map((guest) => guest.name)).toEqual(['dstest']);
    const [dstest] = json.guests;
    expect(dstest!.incompatibleWith).toEqual([
      expect.objectContaining({
        model: 'Westmere',
        hosts: westmereHosts,
        missingFeatures: ['avx', 'osxsave', 'xsave', 'xsaveopt'],
      }),
    ]);
    expect(dstest!.fix).toMatchObject({ kind: 'hard-reboot', command: `nova reboot --hard ${dstest!.uuid}` });
    expect(json.guestsChecked).toBeGreaterThan(15);
  });

  it('lists every hypervisor with its CPU, free capacity and nova-compute state', async () => {
    const { code, stdout } = await runCli(['--config', lab.configPath, '--json', 'hosts']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as HostsResultValue;
    expect(result.hosts).toHaveLength(10);
    expect(result.hosts[4]).toMatchObject({
      host: 'node05',
      cpuModel: 'SandyBridge',
      computeState: 'up',
      computeStatus: 'enabled',
    });
    expect(result.hosts[9]).toMatchObject({ host: 'node10', cpuModel: 'Westmere', error: null });
    expect(result.hosts[0]!.freeRamMiB).toBeGreaterThan(0);
    const text = (await runCli(['--config', lab.configPath, 'hosts'])).stdout;
    expect(text.split('\n')[0]).toMatch(/^HOST\s+CPU\s+VENDOR\s+FREE RAM\s+FREE vCPU\s+VMs\s+NOVA-COMPUTE$/);
  });

  it('reports a hypervisor that is down instead of failing, and still computes the baseline', async () => {
    await lab.faults.apply({ kind: 'down', host: 'node08' });
    try {
      const { code, stdout } = await runCli(['--config', lab.configPath, '--json', 'baseline']);
      const result = JSON.parse(stdout) as BaselineResultValue;
      expect(code).toBe(0);
      expect(result.baselines.map((b) => b.model)).toEqual(['Westmere']);
      expect(result.unreachable).toEqual([{ host: 'node08', error: expect.stringMatching(/node08/) }]);
      const audit = await runCli(['--config', lab.configPath, 'audit']);
      expect(audit.stdout).toMatch(/Unreachable \(1\), not checked:\n {2}node08: /);
      expect(audit.stdout).toContain('dstest');
    } finally {
      await lab.faults.apply({ kind: 'clear' });
    }
  });

  it('hosts: a hypervisor nova does not know is a row with its reason, not a failure', async () => {
    const [node01] = lab.config.cluster.hypervisors;
    const config = {
      ...lab.config,
      cluster: {
        ...lab.config.cluster,
        hypervisors: [...lab.config.cluster.hypervisors, { ...node01!, name: 'node11' }],
      },
    };
    const executor = createSshExecutor(lab.config, readSecrets({}));
    try {
      const result = await hostsCommand.run({}, clusterServicesOver(config, executor, systemClock), operator);
      expect(result.hosts).toHaveLength(11);
      expect(result.hosts[10]).toMatchObject({
        host: 'node11',
        cpuModel: null,
        error: 'nova has no hypervisor named node11',
      });
      expect(result.hosts[9]).toMatchObject({ host: 'node10', cpuModel: 'Westmere', error: null });
      expect(hostsCommand.renderText(result)).toContain('node11: nova has no hypervisor named node11\n');
    } finally {
      await executor.close();
    }
  });

  it('hosts: reads the CPU from virsh capabilities where nova 2.88+ shows no cpu_info', async () => {
    const ssh = createSshExecutor(lab.config, readSecrets({}));
    // nova 2.88 (Wallaby) dropped these rows from hypervisor-show.
    const dropped = /^\| (cpu_info|free_ram_mb|vcpus|vcpus_used|memory_mb|memory_mb_used) /;
    const wallaby: RemoteExecutor = {
      async run(host, command, options) {
        const result = await ssh.run(host, command, options);
        if (!command.args.includes('hypervisor-show')) return result;
        const stdout = result.stdout
          .split('\n')
          .filter((line) => !dropped.test(line))
          .join('\n');
        return { ...result, stdout };
      },
      close: () => ssh.close(),
    };
    try {
      await lab.faults.apply({ kind: 'down', host: 'node03' });
      const result = await hostsCommand.run(
        {},
        clusterServicesOver(lab.config, wallaby, systemClock),
        operator,
      );
      expect(result.hosts[4]).toMatchObject({
        host: 'node05',
        cpuModel: 'SandyBridge',
        cpuVendor: 'Intel',
        freeRamMiB: null,
        computeState: 'up',
        error: null,
      });
      expect(result.hosts[9]).toMatchObject({ host: 'node10', cpuModel: 'Westmere', cpuVendor: 'Intel' });
      expect(result.hosts[2]).toMatchObject({
        host: 'node03',
        cpuModel: null,
        error: expect.stringMatching(/^CPU from virsh capabilities: .*node03/),
      });
    } finally {
      await lab.faults.apply({ kind: 'clear' });
      await wallaby.close();
    }
  });

  it('hosts: lists every hypervisor with the reason when the controller does not answer, exit 1', async () => {
    await lab.faults.apply({ kind: 'down', host: 'control01' });
    try {
      const { code, stdout } = await runCli(['--config', lab.configPath, '--json', 'hosts']);
      expect(code).toBe(1);
      const result = JSON.parse(stdout) as HostsResultValue;
      expect(result.hosts.map((row) => [row.host, row.error])).toEqual(
        Array.from({ length: 10 }, (_, i) => [
          `node${String(i + 1).padStart(2, '0')}`,
          'nova did not answer',
        ]),
      );
      expect(result.unreachable).toEqual([{ host: 'control01', error: expect.stringMatching(/control01/) }]);
    } finally {
      await lab.faults.apply({ kind: 'clear' });
    }
  });

  it('exits 2 with a clear message when no configuration is given', async () => {
    const { code, stderr } = await runCli(['audit']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no configuration file given/);
  });
});

describe('config drift: live_migration_flag without VIR_MIGRATE_LIVE', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ release: 'icehouse' });
  });

  afterAll(async () => {
    await lab?.stop();
  });

  const line = 'live_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_LIVE';
  const hypervisors = Array.from({ length: 10 }, (_, i) => `node${String(i + 1).padStart(2, '0')}`);

  it('audit counts every stock Icehouse host as drift, with the nova.conf line to set', async () => {
    const run = await runCli(['--config', lab.configPath, '--json', 'audit']);
    const result = JSON.parse(run.stdout) as AuditResultValue;
    const flagDrift = result.drift.filter((drift) => drift.kind === 'live-migration-flag');
    expect(flagDrift.map((drift) => drift.host)).toEqual(hypervisors);
    expect(flagDrift[0]!.set).toEqual(['[libvirt]', line]);
    const text = await runCli(['--config', lab.configPath, 'audit']);
    expect(text.stdout).toContain('nova.conf drift (10):');
    expect(text.stdout).toContain(
      `  node01: live_migration_flag is VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, without VIR_MIGRATE_LIVE`,
    );
    expect(text.stdout).toContain(`set [libvirt] ${line}`);
  });

  it('baseline names the same hosts and line', async () => {
    const run = await runCli(['--config', lab.configPath, '--json', 'baseline']);
    const result = JSON.parse(run.stdout) as BaselineResultValue;
    expect(result.drift.map((drift) => drift.host)).toEqual(hypervisors);
    const text = await runCli(['--config', lab.configPath, 'baseline']);
    expect(text.stdout).toContain('Config drift (10):');
  });
});
