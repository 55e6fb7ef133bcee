/**
 * Cancelling a copy in flight stops the copy first and touches a directory only once the copy is
 * confirmed stopped: nova's abort where its server-migration API answers, `virsh domjobabort` on
 * the source otherwise (an older microversion answers 404).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationRecord } from '../../../src/store/types.js';
import { type LabRunner, type LabRunnerOptions, startLabRunner } from './lab-harness.js';
import { approver, expectPlacement, requester, sentCommands } from './outcome-checks.js';

let h: LabRunner | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Migrates app01 node04 → node05 on kilo-or-later and cancels it at its first progress report. */
async function cancelMidCopy(
  options: LabRunnerOptions,
  beforeCancel: (lab: LabRunner) => Promise<void> = async () => undefined,
): Promise<{ lab: LabRunner; done: MigrationRecord; uuid: string; instanceName: string }> {
  const lab = await startLabRunner('kilo-or-later', options);
  h = lab;
  const before = await lab.cluster.showServer('app01');
  const request = await lab.runner.createRequest({ vm: 'app01', destination: 'node05', requester });
  const approval = await lab.runner.approve(request.id, approver, { actorIsApprover: true });
  if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
  await new Promise<void>((resolve) => {
    const unsubscribe = lab.runner.subscribe((e) => {
      if (e.kind !== 'progress') return;
      unsubscribe();
      void beforeCancel(lab)
        .then(() => lab.runner.cancel(request.id, approver))
        .then(() => resolve());
    });
  });
  const done = await lab.runner.waitForMigration(approval.migrationId);
  return { lab, done, uuid: before.uuid, instanceName: before.instanceName! };
}

describe('cancelling a copy on kilo-or-later', () => {
  it('without the server-migration API: virsh domjobabort, the copy confirmed stopped, then nova’s destination dir removed', async () => {
    const { lab, done, uuid, instanceName } = await cancelMidCopy({ lab: { serverMigrationApi: false } });

    expect(done.state, done.error?.message).toBe('cancelled');
    const sent = sentCommands(lab);
    const abortAt = sent.indexOf(`virsh domjobabort ${instanceName}`);
    expect(abortAt).toBeGreaterThan(-1);
    expect(sent.some((c) => c.startsWith('nova live-migration-abort'))).toBe(false);
    // The destination dir is removed only after libvirt showed no job and nova no task.
    const removedAt = sent.findIndex((c) => c.startsWith('rm ') && c.includes(uuid));
    expect(removedAt).toBeGreaterThan(abortAt);
    expect(sent.slice(abortAt, removedAt)).toContain(`virsh domjobinfo ${instanceName}`);
    expect(await lab.cluster.jobInfo('node04', instanceName)).toBeNull();
    await expectPlacement(lab, { uuid, instanceName, hosts: ['node04', 'node05'], home: 'node04' });
  });

  it('with a source that stops answering: no directory is touched until the copy is confirmed stopped', async () => {
    const { lab, done, uuid, instanceName } = await cancelMidCopy(
      { limits: { sshCommandTimeoutMs: 1_000, sshConnectTimeoutMs: 1_000, contactLostGiveUpMs: 20_000 } },
      (l) => l.lab.faults.apply({ kind: 'hang', host: 'node04' }),
    );

    expect(done.state).toBe('migrating');
    expect(done.journal.at(-1)?.detail).toMatch(/outcome unknown/);
    expect(sentCommands(lab).filter((c) => c.startsWith('rm '))).toEqual([]);

    await lab.lab.faults.apply({ kind: 'clear' });
    const fresh = await lab.restart();
    await fresh.runner.reconcile();
    await fresh.runner.idle();
    const m = fresh.store.getMigration(done.id)!;
    // The cancel was on record: once the source answers, the copy is aborted (or had ended).
    expect(['cancelled', 'succeeded']).toContain(m.state);
    await expectPlacement(lab, {
      uuid,
      instanceName,
      hosts: ['node04', 'node05'],
      home: m.state === 'cancelled' ? 'node04' : 'node05',
    });
  });
});
