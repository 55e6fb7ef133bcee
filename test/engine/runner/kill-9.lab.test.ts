/**
 * kill -9 of a real `livemig migrate` at every step boundary, on each release: after a restart the
 * migration is terminal and tells the truth, its request is finished, the VM is ACTIVE and running
 * on exactly one host, the instance dirs are right for that host, and no side effect was sent
 * twice. Stock Icehouse has nothing to kill: its pre-flight refuses every request
 * (releases.lab.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import { type Arrival, type KillLab, lastStep, startKillLab } from './kill-harness.js';
import { expectPlacement, expectSideEffects } from './outcome-checks.js';

const vm = 'dns01';
const hosts = ['node01', 'node02'] as const;

interface KillPoint {
  name: string;
  /** The command to hold, seen with the journal as the child left it. */
  when: (a: Arrival) => boolean;
  fault: 'hang' | 'slow';
  /** Whether nova had been asked to migrate when the process died. */
  moved: boolean;
  onlyOn?: NovaRelease;
}

const started = (a: Arrival, step: string) =>
  lastStep(a.migration)?.step === step && lastStep(a.migration)?.phase === 'started';

const killPoints: KillPoint[] = [
  {
    name: 'approved, before anything ran',
    when: (a) => a.migration?.state === 'approved',
    fault: 'hang',
    moved: false,
  },
  { name: 'recheck, before its checks ran', when: (a) => started(a, 'recheck'), fault: 'hang', moved: false },
  {
    name: 'recheck, after a check ran (its answer held)',
    when: (a) => started(a, 'recheck'),
    fault: 'slow',
    moved: false,
  },
  {
    name: 'create_instance_dir, before mkdir ran',
    when: (a) => started(a, 'create_instance_dir') && a.command.startsWith('mkdir'),
    fault: 'hang',
    moved: false,
    onlyOn: 'icehouse-patched',
  },
  {
    name: 'create_instance_dir, after chown ran',
    when: (a) => started(a, 'create_instance_dir') && a.command.startsWith('chown'),
    fault: 'slow',
    moved: false,
    onlyOn: 'icehouse-patched',
  },
  {
    name: 'live_migrate, before nova got it',
    when: (a) => started(a, 'live_migrate') && a.command.startsWith('nova live-migration '),
    fault: 'hang',
    moved: false,
  },
  {
    name: 'live_migrate, after nova accepted it',
    when: (a) => started(a, 'live_migrate') && a.command.startsWith('nova live-migration '),
    fault: 'slow',
    moved: true,
  },
  {
    name: 'copying (the source does not answer its first poll)',
    when: (a) => started(a, 'wait_for_completion') && a.command.includes('domjobinfo'),
    fault: 'hang',
    moved: true,
  },
  {
    name: 'switchover (nova has the VM on the destination, the answer is held)',
    when: (a) => started(a, 'wait_for_completion') && a.command.startsWith('nova show'),
    fault: 'slow',
    moved: true,
  },
  {
    name: 'verify_destination, before it asked',
    when: (a) => started(a, 'verify_destination'),
    fault: 'hang',
    moved: true,
  },
  {
    name: 'verify_destination, after it asked (the answer held)',
    when: (a) => started(a, 'verify_destination'),
    fault: 'slow',
    moved: true,
  },
  {
    name: 'remove_source_dir, before rm ran',
    when: (a) => started(a, 'remove_source_dir'),
    fault: 'hang',
    moved: true,
    onlyOn: 'icehouse-patched',
  },
  {
    name: 'remove_source_dir, after rm ran',
    when: (a) => started(a, 'remove_source_dir') && a.command.startsWith('rm '),
    fault: 'slow',
    moved: true,
    onlyOn: 'icehouse-patched',
  },
];

const releases: NovaRelease[] = ['icehouse-patched', 'juno', 'kilo-or-later'];

describe.each(releases)('kill -9 of livemig migrate on %s, then a restart', (release) => {
  let k: KillLab;
  beforeAll(async () => {
    k = await startKillLab(release);
  });
  afterAll(async () => {
    await k?.stop();
  });

  it.each(killPoints.filter((p) => p.onlyOn === undefined || p.onlyOn === release))(
    'killed at $name: terminal and truthful, request finished, on one host, dirs right, nothing sent twice',
    async (point) => {
      const before = await k.cluster.showServer(vm);
      const source = before.host!;
      const destination = hosts.find((h) => h !== source)!;
      k.lab.commandLog.clear();
      const { child, arrival } = await k.spawnUntilHeld(['migrate', vm, destination, '--yes'], point);
      await k.kill(child);
      const id = arrival.migration!.id;
      expect(k.storeFile().migrations.find((m) => m.id === id)?.finishedAt).toBeUndefined();

      const restarted = await k.restart();
      const after = restarted.migrations.find((m) => m.id === id)!;
      const approvedOnly = arrival.migration!.state === 'approved';
      // One that began is carried on; one that never began is failed without being started.
      expect(restarted.report.resumed).toEqual(approvedOnly ? [] : [id]);
      expect(after.state, after.error?.message).toBe(point.moved ? 'succeeded' : 'failed');
      if (!point.moved) {
        expect(after.error?.message).toMatch(
          approvedOnly
            ? /livemig stopped before the migration of dns01 began; nothing was moved/
            : /livemig restarted .*(nothing was moved|did not start it)/,
        );
      }
      expect(restarted.requests.find((r) => r.migrationId === id)?.finishedAt).toBeDefined();
      await expectPlacement(k, {
        uuid: before.uuid,
        instanceName: before.instanceName!,
        hosts,
        home: point.moved ? destination : source,
      });
      expectSideEffects(k.commands(), release, before.uuid, {
        migrations: point.moved ? 1 : 0,
        aborts: 0,
      });
    },
    // Real processes and real time: generous, as a busy 2-core machine needs.
    120_000,
  );
});

describe('kill -9 around nova live-migration-force-complete on kilo-or-later', () => {
  let k: KillLab;
  beforeAll(async () => {
    k = await startKillLab('kilo-or-later');
  });
  afterAll(async () => {
    await k?.stop();
  });

  // db01 dirties memory faster than 1 GbE copies it: only a force-complete ends its copy.
  const dbHosts = ['node03', 'node04'] as const;
  const forcing = (a: Arrival) =>
    started(a, 'force_complete') && a.command.startsWith('nova live-migration-force-complete');
  it.each([
    { name: 'before nova got it', fault: 'hang' as const },
    { name: 'after nova accepted it', fault: 'slow' as const },
  ])(
    'killed at force_complete, $name: db01 still moves, forced exactly once',
    async ({ fault }) => {
      const before = await k.cluster.showServer('db01');
      const destination = dbHosts.find((h) => h !== before.host)!;
      k.lab.commandLog.clear();
      const { child, arrival } = await k.spawnUntilHeld(
        ['migrate', 'db01', destination, '--yes', '--accept-downtime', '10m'],
        { when: forcing, fault },
      );
      await k.kill(child);
      const id = arrival.migration!.id;

      const restarted = await k.restart();
      expect(restarted.report.resumed).toEqual([id]);
      const after = restarted.migrations.find((m) => m.id === id)!;
      expect(after.state, after.error?.message).toBe('succeeded');
      expect(restarted.requests.find((r) => r.migrationId === id)?.finishedAt).toBeDefined();
      await expectPlacement(k, {
        uuid: before.uuid,
        instanceName: before.instanceName!,
        hosts: dbHosts,
        home: destination,
      });
      expectSideEffects(k.commands(), 'kilo-or-later', before.uuid, { migrations: 1, aborts: 0 });
      expect(
        k.commands('control01').filter((c) => c.startsWith('nova live-migration-force-complete')),
      ).toHaveLength(1);
    },
    120_000,
  );
});

describe('a kill while approved, then an unrelated command', () => {
  let k: KillLab;
  beforeAll(async () => {
    k = await startKillLab('icehouse-patched');
  });
  afterAll(async () => {
    await k?.stop();
  });

  it('livemig cancel reports the migration failed (nothing moved) and never runs it', async () => {
    const before = await k.cluster.showServer(vm);
    const destination = hosts.find((h) => h !== before.host)!;
    k.lab.commandLog.clear();
    const { child, arrival } = await k.spawnUntilHeld(['migrate', vm, destination, '--yes'], {
      when: (a) => a.migration?.state === 'approved',
      fault: 'hang',
    });
    const { migration } = arrival;
    await k.kill(child);

    const cancel = k.spawn(['cancel', migration!.id]);
    expect(await cancel.exited).toBe(1);
    expect(cancel.stdout()).toMatch(/the migration is already failed/);
    expect(k.commands().filter((c) => c.startsWith('nova live-migration'))).toEqual([]);
    const failed = k.storeFile().migrations.find((m) => m.id === migration!.id)!;
    expect(failed.error?.message).toMatch(
      /livemig stopped before the migration of dns01 began; nothing was moved/,
    );
    await expectPlacement(k, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts,
      home: before.host!,
    });
  }, 120_000);
});

describe('a kill mid-copy, seen from status and after the restart', () => {
  let k: KillLab;
  beforeAll(async () => {
    k = await startKillLab('icehouse-patched');
  });
  afterAll(async () => {
    await k?.stop();
  });

  it('status says nothing drives it and what resumes it; once resumed, the copy time and the unattended time are told apart', async () => {
    const before = await k.cluster.showServer(vm);
    const destination = hosts.find((h) => h !== before.host)!;
    const held = k.hold({
      when: (a) => a.migration?.progress !== undefined && a.command.includes('domjobinfo'),
      fault: 'hang',
    });
    const child = k.spawn(['migrate', vm, destination, '--yes']);
    const { migration } = await held;
    await k.kill(child);

    const status = k.spawn(['status']);
    expect(await status.exited).toBe(0);
    expect(status.stdout()).toContain(
      `${migration!.id}  ${vm} ${before.host} → ${destination}  migrating (last seen`,
    );
    expect(status.stdout()).toMatch(/No livemig process is driving these .*\n.*`livemig serve` resumes them/);
    const json = k.spawn(['--json', 'status']);
    expect(await json.exited).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({ drivenBy: null });

    // Nobody watches for a while; then a new process resumes it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = (await k.restart()).migrations.find((m) => m.id === migration!.id)!;
    expect(after.state, after.error?.message).toBe('succeeded');
    expect(after.result?.unattendedMs).toBeGreaterThanOrEqual(1_500);
    expect(after.result?.copyMs).toBeGreaterThan(0);
    expect(after.journal.find((e) => e.step === 'resume')?.detail).toMatch(
      /^resumed by a new livemig process; none drove it for \d+ s$/,
    );
    const history = k.spawn(['history']);
    expect(await history.exited).toBe(0);
    expect(history.stdout()).toMatch(
      new RegExp(
        `${after.id} .* SUCCEEDED in [\\d.]+ s \\(copy [\\d.]+ m?s, [\\d.]+ s of it with no livemig running, until a restart resumed it\\)`,
      ),
    );
  }, 120_000);
});
