import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/engine/runner/index.js';
import { type LabRunner, startLabRunner } from './lab-harness.js';

const requester = { id: 'UALICE', via: 'slack' as const };
const approver = { id: 'UBOB', via: 'slack' as const };

async function migrate(h: LabRunner, vm: string, destination: string) {
  const request = await h.runner.createRequest({ vm, destination, requester });
  expect(request.state, JSON.stringify(request.checks?.checks.filter((c) => c.status === 'block'))).toBe(
    'awaiting_approval',
  );
  const approval = await h.runner.approve(request.id, approver, { actorIsApprover: true });
  if (approval.outcome !== 'approved') throw new Error(`not approved: ${JSON.stringify(approval)}`);
  return { request, migrationId: approval.migrationId };
}

describe('release behaviour, over SSH to the lab', () => {
  let h: LabRunner | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('on stock Icehouse blocks the request at its checks (RBD-only instance dir) and sends nova nothing', async () => {
    h = await startLabRunner('icehouse');
    h.lab.commandLog.clear();
    const request = await h.runner.createRequest({ vm: 'dns01', destination: 'node02', requester });
    expect(request.state).toBe('blocked');
    expect(request.checks?.checks.filter((c) => c.status === 'block').map((c) => c.explanation)).toEqual(
      expect.arrayContaining([expect.stringMatching(/InvalidSharedStorage/)]),
    );
    expect(h.store.listMigrations()).toEqual([]);
    expect(h.commands('control01').filter((argv) => argv[1] === 'live-migration')).toEqual([]);
  });

  it('on Juno leaves the instance dirs to nova: no mkdir, chown or rm from livemig when nova removed the source dir', async () => {
    h = await startLabRunner('juno');
    const { request, migrationId } = await migrate(h, 'web01', 'node02');
    const done = await h.runner.waitForMigration(migrationId);
    expect(done.state).toBe('succeeded');
    expect(done.plan.map((s) => s.name)).toEqual([
      'recheck',
      'live_migrate',
      'wait_for_completion',
      'verify_destination',
      'clean_source_dir',
    ]);
    const programs = h.commands().map((argv) => argv[0]);
    expect(programs).not.toContain('mkdir');
    expect(programs).not.toContain('chown');
    expect(programs).not.toContain('rm');
    expect(h.commands('control01')).toContainEqual(['nova', 'live-migration', request.vm.uuid, 'node02']);
    expect(await h.cluster.showServer(request.vm.uuid)).toMatchObject({ host: 'node02', status: 'ACTIVE' });
  });

  it('on Kilo and later refuses db01, which dirties memory faster than 1 GbE copies it', async () => {
    h = await startLabRunner('kilo-or-later');
    const db01 = await h.runner.createRequest({ vm: 'db01', destination: 'node04', requester });
    expect(db01.state).toBe('blocked');
    expect(db01.checks?.checks.find((c) => c.status === 'block')).toMatchObject({ id: 'convergence' });
  });

  it('on Kilo and later forces db01 to complete when the user allowed it and the copy cannot converge', async () => {
    h = await startLabRunner('kilo-or-later');
    const request = await h.runner.createRequest({
      vm: 'db01',
      destination: 'node04',
      requester,
      options: { acceptedDowntimeMs: 10 * 60_000 },
    });
    expect(request.state).toBe('awaiting_approval');
    const approval = await h.runner.approve(request.id, approver, { actorIsApprover: true });
    if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
    const done = await h.runner.waitForMigration(approval.migrationId);
    expect(done.state).toBe('succeeded');
    const forced = h.commands('control01').filter((argv) => argv[1] === 'live-migration-force-complete');
    expect(forced).toEqual([
      ['nova', 'live-migration-force-complete', request.vm.uuid, done.novaMigrationId],
    ]);
    expect(done.journal.find((e) => e.step === 'force_complete' && e.phase === 'done')?.detail).toMatch(
      /does not converge/,
    );
  });

  it('on Kilo and later follows nova migration records too', async () => {
    h = await startLabRunner('kilo-or-later');
    const { request, migrationId } = await migrate(h, 'web01', 'node02');
    const done = await h.runner.waitForMigration(migrationId);
    expect(done.state).toBe('succeeded');
    expect(h.commands('control01')).toContainEqual(['nova', 'server-migration-list', request.vm.uuid]);
    expect(done.novaMigrationId).toMatch(/^\d+$/);
  });

  it('on Kilo and later cancels through nova live-migration-abort and keeps the VM on its source', async () => {
    h = await startLabRunner('kilo-or-later');
    const lab = h;
    const { request, migrationId } = await migrate(lab, 'app01', 'node05');
    const events: ProgressEvent[] = [];
    await new Promise<void>((resolve) => {
      const unsubscribe = lab.runner.subscribe((e) => {
        events.push(e);
        if (e.kind === 'progress' && e.migrationId === migrationId) {
          unsubscribe();
          void lab.runner.cancel(request.id, approver).then(() => resolve());
        }
      });
    });
    const done = await lab.runner.waitForMigration(migrationId);
    expect(done.state).toBe('cancelled');
    const abort = lab.commands('control01').find((argv) => argv[1] === 'live-migration-abort');
    expect(abort).toEqual(['nova', 'live-migration-abort', request.vm.uuid, done.novaMigrationId]);
    expect(await lab.cluster.showServer(request.vm.uuid)).toMatchObject({ host: 'node04', status: 'ACTIVE' });
  });
});
