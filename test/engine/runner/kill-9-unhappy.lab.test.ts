/**
 * kill -9 of a real `livemig migrate` inside the failure path (the lab fails the copy) and the
 * cancel path (Ctrl-C mid-copy): a restarted livemig on the same data dir must finish what the
 * dead one began, with the VM running on its source, the dirs as they were, and nothing sent twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import type { MigrationRecord } from '../../../src/store/types.js';
import { type Arrival, type KillLab, lastStep, startKillLab } from './kill-harness.js';
import { expectPlacement, expectSideEffects, type Placement } from './outcome-checks.js';

const vm = 'dns01';
const hosts = ['node01', 'node02'] as const;
const [source, destination] = hosts;
const failure = 'Live Migration failure: operation failed: migration job: unexpectedly failed';
const releases: NovaRelease[] = ['icehouse-patched', 'juno', 'kilo-or-later'];

interface KillPoint {
  name: string;
  when: (a: Arrival) => boolean;
  fault: 'hang' | 'slow';
  /** Held until the child's store file shows this (a write that need not precede the held command). */
  onDisk?: (m: MigrationRecord) => boolean;
}

/** Set once the test sent Ctrl-C: a command arriving after it is the cancel's business. */
let interrupted = false;

const started = (a: Arrival, step: string) =>
  lastStep(a.migration)?.step === step && lastStep(a.migration)?.phase === 'started';

/** Patched Icehouse undoes the dir livemig created; on Juno and later nova owns the dirs. */
function rollbackPoints(release: NovaRelease): KillPoint[] {
  if (release !== 'icehouse-patched') return [];
  return [
    {
      name: 'rollback_instance_dir, before rm ran',
      when: (a) => started(a, 'rollback_instance_dir'),
      fault: 'hang',
    },
    {
      name: 'rollback_instance_dir, after rm ran',
      when: (a) => started(a, 'rollback_instance_dir') && a.command.startsWith('rm '),
      fault: 'slow',
    },
  ];
}

const failurePoints = (release: NovaRelease): KillPoint[] => [
  {
    // The copy failed and nova shows the VM back on its source; livemig has not journaled it.
    name: 'wait_for_completion, nova answered with the failure',
    when: (a) => started(a, 'wait_for_completion') && a.command.startsWith('nova show'),
    fault: 'slow',
  },
  { name: 'settle, the failure journaled', when: (a) => started(a, 'settle'), fault: 'hang' },
  ...rollbackPoints(release),
];

const cancelPoints = (release: NovaRelease): KillPoint[] => [
  {
    // The child reads the cancel from memory, so its next command may leave before the cancel is on
    // disk: that command is held (it only asks) until the file shows the cancel, then the kill.
    name: 'the cancel on record, not acted on yet',
    when: (a) => interrupted && a.migration?.journal.some((e) => e.step === 'abort') === false,
    fault: 'hang',
    onDisk: (m) => m.cancelRequestedBy !== undefined,
  },
  { name: 'abort, before it was sent', when: (a) => started(a, 'abort'), fault: 'hang' },
  {
    name: 'abort, after it was sent',
    when: (a) =>
      started(a, 'abort') &&
      (a.command.startsWith('virsh domjobabort') || a.command.startsWith('nova live-migration-abort')),
    fault: 'slow',
  },
  ...rollbackPoints(release),
];

async function placed(k: KillLab): Promise<Placement> {
  const server = await k.cluster.showServer(vm);
  expect(server.host).toBe(source);
  k.lab.commandLog.clear();
  return { uuid: server.uuid, instanceName: server.instanceName!, hosts, home: source };
}

/** Starts `livemig migrate`, kills it once `point` holds, and returns the migration's id. */
async function killAt(
  k: KillLab,
  point: KillPoint,
  meanwhile?: (child: ReturnType<KillLab['spawn']>) => Promise<void>,
) {
  interrupted = false;
  const { child, arrival } = await k.spawnUntilHeld(['migrate', vm, destination, '--yes'], point, meanwhile);
  const id = arrival.migration!.id;
  const onDisk = point.onDisk;
  if (onDisk) await until(() => k.storeFile().migrations.some((m) => m.id === id && onDisk(m)));
  await k.kill(child);
  expect(k.storeFile().migrations.find((m) => m.id === id)?.finishedAt).toBeUndefined();
  return id;
}

describe.each(releases)('kill -9 while a failed copy is settled, on %s', (release) => {
  let k: KillLab;
  beforeAll(async () => {
    k = await startKillLab(release);
  });
  afterAll(async () => {
    await k?.stop();
  });

  it.each(failurePoints(release))(
    'killed at $name: failed, request finished, on the source, dirs right, nothing repeated',
    async (point) => {
      const placement = await placed(k);
      k.lab.world.faults.failMigrationAt(vm, 'copying', failure);
      const id = await killAt(k, point);

      const restarted = await k.restart();
      expect(restarted.report.resumed).toEqual([id]);
      const m = restarted.migrations.find((x) => x.id === id)!;
      expect(m.state).toBe('failed');
      expect(m.error?.step).toBe('wait_for_completion');
      expect(m.error?.message).toMatch(
        new RegExp(`failed at wait_for_completion: .*${vm} is ACTIVE on ${source}`),
      );
      // Patched Icehouse: the dir livemig created; Juno+: the one nova created and left behind.
      expect(m.error?.message).toMatch(new RegExp(`Rolled back: removed .* from ${destination}`));
      expect(m.error?.logExcerpt).toMatch(/unexpectedly failed/);
      expect(restarted.requests.find((r) => r.migrationId === id)?.finishedAt).toBeDefined();
      await expectPlacement(k, placement);
      expectSideEffects(k.commands(), release, placement.uuid, { migrations: 1, aborts: 0 });
    },
    120_000,
  );
});

describe.each(releases)('kill -9 while Ctrl-C cancels a copy, on %s', (release) => {
  let k: KillLab;
  beforeAll(async () => {
    // A real-time lab with 10 MiB/s links: dns01's copy lasts minutes, long enough for a Ctrl-C,
    // a kill and a restart however busy the machine is.
    k = await startKillLab(release, { speed: 1, linkMiBps: { node01: 10, node02: 10 } });
  });
  afterAll(async () => {
    await k?.stop();
  });

  it.each(cancelPoints(release))(
    'killed at $name: cancelled, request finished, on the source, dirs right, nothing repeated',
    async (point) => {
      const placement = await placed(k);
      const id = await killAt(k, point, async (child) => {
        await child.waitForStdout(new RegExp(`${vm}: \\d+% `));
        interrupted = true;
        child.child.kill('SIGINT');
      });

      const restarted = await k.restart();
      expect(restarted.report.resumed).toEqual([id]);
      const m = restarted.migrations.find((x) => x.id === id)!;
      expect(m.state, m.error?.message).toBe('cancelled');
      expect(m.journal.at(-1)?.detail).toMatch(
        new RegExp(`Cancelled by alice.* ACTIVE on ${source}.* Rolled back: removed .* from ${destination}`),
      );
      expect(restarted.requests.find((r) => r.migrationId === id)?.finishedAt).toBeDefined();
      await expectPlacement(k, placement);
      expectSideEffects(k.commands(), release, placement.uuid, { migrations: 1, aborts: 1 });
    },
    120_000,
  );
});

/** Polls `probe` every 20 ms for up to 10 s. */
async function until(probe: () => boolean): Promise<void> {
  for (let waited = 0; !probe(); waited += 20) {
    if (waited > 10_000) throw new Error('the child never wrote what the kill point waits for');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
