import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/engine/runner/index.js';
import { type LabRunner, startLabRunner } from './lab-harness.js';

const requester = { id: 'UALICE', via: 'slack' as const };
const approver = { id: 'UBOB', via: 'slack' as const };

describe('failures, cancels and concurrency on patched Icehouse, over SSH to the lab', () => {
  let h: LabRunner;
  beforeAll(async () => {
    h = await startLabRunner('icehouse-patched');
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function approved(vm: string, destination: string) {
    const request = await h.runner.createRequest({ vm, destination, requester });
    const approval = await h.runner.approve(request.id, approver, { actorIsApprover: true });
    if (approval.outcome !== 'approved') throw new Error(`not approved: ${JSON.stringify(approval)}`);
    return { request, migrationId: approval.migrationId };
  }

  it('fails cleanly mid-copy: the VM stays on the source, the created dir is removed, nova-compute.log is attached', async () => {
    h.lab.world.faults.failMigrationAt(
      'web01',
      'copying',
      'Live Migration failure: operation failed: migration job: unexpectedly failed',
    );
    const events: ProgressEvent[] = [];
    const unsubscribe = h.runner.subscribe((e) => events.push(e));
    const { request, migrationId } = await approved('web01', 'node02');
    const done = await h.runner.waitForMigration(migrationId);
    unsubscribe();
    const uuid = request.vm.uuid;

    expect(done.state).toBe('failed');
    expect(done.error?.step).toBe('wait_for_completion');
    expect(done.error?.message).toMatch(/web01 is ACTIVE on node01/);
    expect(done.error?.message).toMatch(/Rolled back: removed \/var\/lib\/nova\/instances\/.+ from node02/);
    expect(done.error?.logExcerpt).toMatch(/unexpectedly failed/);
    expect(await h.cluster.showServer(uuid)).toMatchObject({ host: 'node01', status: 'ACTIVE' });
    expect(await h.cluster.instanceDirExists('node02', uuid)).toBe(false);
    expect(await h.cluster.instanceDirExists('node01', uuid)).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: 'failed', step: 'wait_for_completion' });
  });

  it('cancels mid-copy with virsh domjobabort and confirms the VM still runs on its source', async () => {
    const lab = h;
    const { request, migrationId } = await approved('git01', 'node04');
    await new Promise<void>((resolve) => {
      const unsubscribe = lab.runner.subscribe((e) => {
        if (e.kind === 'progress' && e.migrationId === migrationId) {
          unsubscribe();
          void lab.runner.cancel(migrationId, approver).then((outcome) => {
            expect(outcome.outcome).toBe('cancelling');
            resolve();
          });
        }
      });
    });
    const done = await lab.runner.waitForMigration(migrationId);
    const uuid = request.vm.uuid;
    expect(done.state).toBe('cancelled');
    expect(lab.lab.commandLog.entries('node03').map((e) => e.argv?.join(' '))).toContain(
      `virsh domjobabort ${done.instanceName}`,
    );
    expect(await lab.cluster.showServer(uuid)).toMatchObject({ host: 'node03', status: 'ACTIVE' });
    expect(await lab.cluster.domainState('node03', done.instanceName!)).toBe('running');
    expect(await lab.cluster.instanceDirExists('node04', uuid)).toBe(false);
    expect(lab.store.getRequest(request.id)?.finishedAt).toBeDefined();
  });

  it('runs one migration of a VM at a time: a second request is refused while the first is under way', async () => {
    const first = await approved('lb01', 'node02');
    const second = await h.runner.createRequest({ vm: 'lb01', destination: 'node03', requester });
    expect(second.state).toBe('blocked');
    expect(second.checks?.checks.find((c) => c.status === 'block')?.explanation).toMatch(
      /already|in progress/i,
    );
    expect((await h.runner.waitForMigration(first.migrationId)).state).toBe('succeeded');
  });

  it('queues a second approved migration of the same VM instead of dropping it, then re-checks it', async () => {
    const a = await h.runner.createRequest({ vm: 'dns01', destination: 'node02', requester });
    const b = await h.runner.createRequest({ vm: 'dns01', destination: 'node03', requester });
    const [approveA, approveB] = await Promise.all([
      h.runner.approve(a.id, approver, { actorIsApprover: true }),
      h.runner.approve(b.id, approver, { actorIsApprover: true }),
    ]);
    if (approveA.outcome !== 'approved' || approveB.outcome !== 'approved') throw new Error('not approved');
    const view = h.runner.activity();
    expect(view.queued.map((m) => [m.id, m.queuePosition])).toEqual([[approveB.migrationId, 1]]);
    expect((await h.runner.waitForMigration(approveA.migrationId)).state).toBe('succeeded');
    const later = await h.runner.waitForMigration(approveB.migrationId);
    expect(later.state).toBe('failed');
    expect(later.error?.message).toMatch(/dns01 is on node02 now, not on node01/);
    expect(
      h.commands('control01').filter((argv) => argv[1] === 'live-migration' && argv[2] === a.vm.uuid),
    ).toHaveLength(1);
  });

  it('lets exactly one of two approvers win and tells the other who decided', async () => {
    const request = await h.runner.createRequest({ vm: 'mon01', destination: 'node08', requester });
    const carol = { id: 'UCAROL', via: 'slack' as const, name: 'carol' };
    const [one, two] = await Promise.all([
      h.runner.approve(request.id, approver, { actorIsApprover: true }),
      h.runner.approve(request.id, carol, { actorIsApprover: true }),
    ]);
    expect(one.outcome).toBe('approved');
    expect(two).toMatchObject({ outcome: 'refused', code: 'already_decided', existing: { actor: approver } });
    const again = await h.runner.approve(request.id, approver, { actorIsApprover: true });
    expect(again).toMatchObject({ outcome: 'refused', code: 'already_decided' });
    expect(h.store.listMigrations((m) => m.requestId === request.id)).toHaveLength(1);
    if (one.outcome === 'approved') await h.runner.waitForMigration(one.migrationId);
  });

  it('expires a request nobody approved within approval.expiryMinutes, and refuses a late approval', async () => {
    const request = await h.runner.createRequest({ vm: 'web03', destination: 'node07', requester });
    expect(request.state).toBe('awaiting_approval');
    h.clock.advance(60 * 60_000);
    const late = await h.runner.approve(request.id, approver, { actorIsApprover: true });
    expect(late).toMatchObject({ outcome: 'refused', code: 'expired', request: { state: 'expired' } });
    expect(h.store.getRequest(request.id)?.decisions.map((d) => d.kind)).toEqual(['expired']);
    expect(h.store.listMigrations((m) => m.requestId === request.id)).toEqual([]);
  });

  it('after a restart fails requests caught in their checks and expires stale ones', async () => {
    const stale = await h.runner.createRequest({ vm: 'mq01', destination: 'node06', requester });
    const { state: _state, id: _id, version: _v, createdAt: _c, updatedAt: _u, ...rest } = stale;
    const caught = await h.store.insertRequest({
      ...rest,
      state: 'checking',
      expiresAt: h.clock.now() + 3 * 60 * 60_000,
    });
    h.clock.advance(61 * 60_000);
    const fresh = await h.restart();
    const report = await fresh.runner.reconcile();
    expect(report).toMatchObject({ resumed: [], failedRequests: [caught.id], expiredRequests: [stale.id] });
    expect(fresh.store.getRequest(stale.id)?.state).toBe('expired');
    expect(fresh.store.getRequest(caught.id)?.state).toBe('failed');
  });
});
