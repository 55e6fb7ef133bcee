/**
 * `livemig check VM HOST` end to end: the CLI in-process, over real SSH to the embedded lab, on the
 * nova releases whose rules differ.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../commands/check.js';
import { createInstanceDir, resolveServer } from '../../src/cluster/index.js';
import { readConfigFile, readSecrets } from '../../src/config/load-config.js';
import type { NovaRelease } from '../../src/config/schema.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { Store } from '../../src/store/index.js';
import { systemClock } from '../../src/util/clock.js';
import { type CliRun, runCli } from '../support/run-cli.js';

function livemig(lab: Lab, ...args: string[]): Promise<CliRun> {
  return runCli([...args, '--config', lab.configPath]);
}

async function checkJson(lab: Lab, ...args: string[]): Promise<{ code: number; report: CheckReport }> {
  const run = await livemig(lab, 'check', ...args, '--json');
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as CheckReport };
}

function statusOf(report: CheckReport, id: string): string | undefined {
  return report.checks.find((check) => check.id === id)?.status;
}

function checkOf(report: CheckReport, id: string) {
  const check = report.checks.find((candidate) => candidate.id === id);
  if (check === undefined) throw new Error(`no ${id} check in ${report.checks.map((c) => c.id).join(', ')}`);
  return check;
}

function labOn(release: NovaRelease): { get: () => Lab } {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await startLab({ release });
  });
  afterAll(async () => {
    await lab?.stop();
  });
  return { get: () => lab! };
}

describe('livemig check on patched Icehouse (the seed)', () => {
  const lab = labOn('icehouse-patched');

  it('blocks dstest -> node10 for its SandyBridge CPU and tells to hard-reboot it', async () => {
    // --verbose: the passing checks too (nova's own CPU check, patched out here, is one).
    const run = await livemig(lab.get(), 'check', 'dstest', 'node10', '--verbose');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^dstest \([0-9a-f-]{36}, m1\.medium, 4096 MiB RAM, 2 vCPUs\) on node05 → node10/,
    );
    expect(run.stdout).toContain(
      "✗ Guest CPU on node10: node10 (Westmere) lacks avx, osxsave, xsave, xsaveopt required by dstest's SandyBridge CPU.",
    );
    expect(run.stdout).toMatch(
      /! CPU baseline: .*needs a HARD reboot once \(nova reboot --hard [0-9a-f-]{36}\); a soft reboot keeps the old CPU\./,
    );
    expect(run.stdout).toContain("livemig's guest CPU check is the only guard");
    expect(run.stdout).toContain('BLOCKED: fix the ✗ lines first.');
  });

  it("lets web03, a Westmere guest, go to node10 live (the seed's VIR_MIGRATE_LIVE), its dirty rate unknown before the copy", async () => {
    const { code, report } = await checkJson(lab.get(), 'web03', 'node10');
    expect(code).toBe(0);
    expect(report.verdict).toBe('warn');
    expect(statusOf(report, 'guest-cpu')).toBe('pass');
    expect(statusOf(report, 'instance-dir')).toBe('pass');
    expect(statusOf(report, 'migration-flags')).toBe('pass');
    expect(report.checks.filter((check) => check.status === 'block')).toEqual([]);
    // libvirt 1.3.1 has no domdirtyrate-calc: the rate is unknown, never "0 MiB/s".
    expect(checkOf(report, 'convergence')).toMatchObject({
      status: 'warn',
      explanation: expect.stringContaining('Dirty rate unknown (virsh on node06 cannot measure it'),
    });
    expect(report.prediction).toMatchObject({
      live: true,
      bandwidthMiBps: 117,
      dirtyRateMiBps: null,
      dirtyRateMeasured: false,
    });
  });

  it('tells build01 (a local disk) that no live migration can move it, with or without --block-migrate, and what can', async () => {
    const plain = await checkJson(lab.get(), 'build01', 'node03');
    const block = await checkJson(lab.get(), 'build01', 'node03', '--block-migrate');
    expect([plain.code, block.code, plain.report.verdict, block.report.verdict]).toEqual([
      1,
      1,
      'block',
      'block',
    ]);
    const fixes = [
      ...plain.report.checks.filter((check) => check.status === 'block'),
      ...block.report.checks.filter((check) => check.status === 'block'),
    ].map((check) => check.fix ?? '');
    for (const fix of fixes) {
      // No advice that sends the user to the other form, which fails too.
      expect(fix).not.toContain('--block-migrate');
    }
    expect(checkOf(plain.report, 'storage').explanation).toContain(
      'No form of live migration can move this VM here.',
    );
    expect(checkOf(plain.report, 'storage').fix).toMatch(
      /^Cold-migrate it .*nova migrate [0-9a-f-]{36}, then nova resize-confirm/,
    );
    expect(checkOf(block.report, 'block-migration').fix).toMatch(/^Cold-migrate it/);
  });

  it('blocks a VM livemig is already migrating (an unfinished migration in the data dir)', async () => {
    const { report: before } = await checkJson(lab.get(), 'web03', 'node10');
    const vm = { uuid: before.vm!.uuid, name: 'web03' };
    const { config } = await readConfigFile(lab.get().configPath, {});
    const store = await Store.open({ dataDir: config.dataDir, clock: systemClock, archiveAfterDays: 30 });
    try {
      const actor = { id: 'alice', via: 'cli' as const };
      const request = await store.insertRequest({
        vm,
        source: 'node05',
        destination: 'node09',
        requester: actor,
        options: { blockMigrate: false },
        state: 'approved',
        decisions: [],
        expiresAt: Date.now() + 3_600_000,
      });
      await store.updateRequest(request.id, () => ({
        value: undefined,
        insertMigration: {
          id: 'mig-0000beef',
          requestId: request.id,
          vm,
          source: 'node05',
          destination: 'node09',
          release: 'icehouse-patched',
          options: request.options,
          state: 'migrating',
          plan: [],
          journal: [],
        },
      }));
    } finally {
      await store.close();
    }
    try {
      const { code, report } = await checkJson(lab.get(), 'web03', 'node10');
      expect(code).toBe(1);
      expect(checkOf(report, 'vm')).toMatchObject({
        status: 'block',
        explanation: `livemig is already migrating web03 (${vm.uuid}).`,
      });
      expect(statusOf((await checkJson(lab.get(), 'web01', 'node10')).report, 'vm')).toBe('pass');
    } finally {
      await rm(join(config.dataDir, 'livemig.json'));
    }
  });

  it('reports node10 down during pre-flight as a block naming the host', async () => {
    await lab.get().faults.apply({ kind: 'down', host: 'node10' });
    try {
      const { code, report } = await checkJson(lab.get(), 'web03', 'node10');
      expect(code).toBe(1);
      expect(checkOf(report, 'hosts-answered')).toMatchObject({
        status: 'block',
        explanation: expect.stringMatching(/^node10 could not be reached: /),
      });
      expect(statusOf(report, 'guest-cpu')).toBeUndefined();
    } finally {
      await lab.get().faults.apply({ kind: 'clear', host: 'node10' });
    }
  });

  it.each([
    ['a newline', 'dst\nest', 'dst\\nest'],
    ['a carriage return', 'db\r01', 'db\\r01'],
    ['a Unicode line separator', 'db\u202801', 'db\\u202801'],
  ])(
    'refuses a VM name with %s locally, before asking nova, and never prints it raw',
    async (_, vm, shown) => {
      const asked = lab.get().commandLog.entries('control01').length;
      const run = await livemig(lab.get(), 'check', vm, 'node10');
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`refusing server name "${shown}"`);
      expect(run.stderr).not.toContain('failed on control01');
      expect(run.stderr).not.toContain(vm);
      expect(
        lab
          .get()
          .commandLog.entries('control01')
          .slice(asked)
          .map((e) => e.rawCommand),
      ).not.toContainEqual(expect.stringContaining('nova show'));
    },
  );

  it('exits 2 with usage help when the destination is missing', async () => {
    const run = await livemig(lab.get(), 'check', 'dstest');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing required argument 'host'");
  });
});

describe('livemig check on stock Icehouse', () => {
  const lab = labOn('icehouse');

  it("predicts nova's InvalidCPUInfo for node05 -> node10 because it compares the host CPUs", async () => {
    const { code, report } = await checkJson(lab.get(), 'dstest', 'node10');
    expect(code).toBe(1);
    expect(checkOf(report, 'nova-cpu-check')).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining(
        "InvalidCPUInfo_Remote Unacceptable CPU info: CPU doesn't have compatibility.",
      ),
    });
    expect(checkOf(report, 'instance-dir').explanation).toContain(
      'InvalidSharedStorage_Remote node10 is not on shared storage',
    );
  });
});

describe('livemig check on Juno', () => {
  const lab = labOn('juno');

  it('blocks web03 -> node10 while a stale instance directory exists there, with the rm command', async () => {
    const executor = createSshExecutor(lab.get().config, readSecrets({}));
    try {
      const web03 = await resolveServer(executor, 'control01', { nameOrUuid: 'web03' });
      await createInstanceDir(executor, 'node10', {
        instancesPath: '/var/lib/nova/instances',
        uuid: web03.uuid,
      });
      const { code, report } = await checkJson(lab.get(), 'web03', 'node10');
      expect(code).toBe(1);
      expect(checkOf(report, 'instance-dir')).toMatchObject({
        status: 'block',
        explanation: expect.stringContaining('DestinationDiskExists'),
        fix: `On node10: rm -rf /var/lib/nova/instances/${web03.uuid}`,
      });
      expect(statusOf(report, 'nova-cpu-check')).toBe('pass');
    } finally {
      await executor.close();
    }
  });
});

describe('livemig check on Kilo and later', () => {
  const lab = labOn('kilo-or-later');

  it('blocks db01, which dirties ~140 MiB/s against a 117 MiB/s link, as never converging', async () => {
    const { code, report } = await checkJson(lab.get(), 'db01', 'node04');
    expect(code).toBe(1);
    expect(checkOf(report, 'convergence')).toMatchObject({
      status: 'block',
      explanation: expect.stringMatching(
        /^Never converges: the guest dirties 1[2-5]\d MiB\/s, the link moves 117 MiB\/s \(rho 1\.\d\d\)\. nova aborts it after 3 h 33 min/,
      ),
      fix: expect.stringContaining('--accept-downtime'),
    });
    expect(report.prediction).toMatchObject({ converges: false, dirtyRateMeasured: true });
    expect(report.prediction!.rho).toBeGreaterThan(1);
  });

  it('blocks jump01, whose domain XML has a local disk.config, although nova.conf says images_type=rbd', async () => {
    const { code, report } = await checkJson(lab.get(), 'jump01', 'node07');
    expect(code).toBe(1);
    expect(checkOf(report, 'config-drive')).toMatchObject({
      status: 'block',
      explanation: expect.stringMatching(
        /^The config drive is a local file \(\/var\/lib\/nova\/instances\/[0-9a-f-]{36}\/disk\.config\), although images_type=rbd on node06: .* node07 would have no disk\.config\.$/,
      ),
    });
  });

  it('lets db01 go with a warning when the requester accepts the pause that forcing completion causes', async () => {
    const { code, report } = await checkJson(lab.get(), 'db01', 'node04', '--accept-downtime', '10m');
    expect(code).toBe(0);
    expect(checkOf(report, 'convergence')).toMatchObject({
      status: 'warn',
      explanation: expect.stringContaining('paused for ~'),
    });
  });
});
