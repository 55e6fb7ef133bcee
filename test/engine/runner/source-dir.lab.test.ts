/**
 * After every successful migration on Juno and later, livemig verifies the source instance dir:
 * with the RBD image backend nova left it behind until Stein (bug 1414895), and that leftover
 * blocks the way back (DestinationDiskExists).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import { type LabRunner, startLabRunner } from './lab-harness.js';
import { approver, expectPlacement, requester } from './outcome-checks.js';

let h: LabRunner | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const instancesPath = '/var/lib/nova/instances';

/** Migrates web01 node01 → node02; `leaveSourceDir` makes nova leave the source dir, as before Stein. */
async function migrate(release: NovaRelease, leaveSourceDir: boolean) {
  const lab = await startLabRunner(release);
  h = lab;
  const before = await lab.cluster.showServer('web01');
  const dir = `${instancesPath}/${before.uuid}`;
  lab.runner.subscribe((e) => {
    if (!leaveSourceDir || e.kind !== 'milestone' || e.milestone !== 'switched_over') return;
    // What nova's post-live-migration left on the source: its dir, with the console log in it.
    void lab.lab.world.handle({
      host: 'node01',
      argv: ['mkdir', '-p', dir],
      stdin: '',
      sudo: true,
      user: 'root',
      rawCommand: `mkdir -p ${dir}`,
    });
  });
  const request = await lab.runner.createRequest({ vm: 'web01', destination: 'node02', requester });
  const approval = await lab.runner.approve(request.id, approver, { actorIsApprover: true });
  if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
  const done = await lab.runner.waitForMigration(approval.migrationId);
  return { lab, done, before, dir };
}

describe.each(['juno', 'kilo-or-later'] as const)(
  'the source instance dir after a migration on %s',
  (release) => {
    it('is removed when nova left it and no domain there uses it, and the journal says so', async () => {
      const { lab, done, before, dir } = await migrate(release, true);
      expect(done.state, done.error?.message).toBe('succeeded');
      const cleanup = done.journal.find((e) => e.step === 'clean_source_dir' && e.phase === 'done');
      expect(cleanup?.detail).toBe(
        `nova left ${dir} on node01; it held no disk in use (no domain of web01 there), so livemig removed it`,
      );
      expect(lab.commands('node01')).toContainEqual(['rm', '-rf', dir]);
      await expectPlacement(lab, {
        uuid: before.uuid,
        instanceName: before.instanceName!,
        hosts: ['node01', 'node02'],
        home: 'node02',
      });
    });

    it('is only checked when nova removed it itself', async () => {
      const { lab, done, dir } = await migrate(release, false);
      expect(done.state).toBe('succeeded');
      expect(done.journal.find((e) => e.step === 'clean_source_dir' && e.phase === 'done')?.detail).toBe(
        `nova removed ${dir} from node01`,
      );
      expect(lab.commands('node01').filter((argv) => argv[0] === 'rm')).toEqual([]);
    });
  },
);
