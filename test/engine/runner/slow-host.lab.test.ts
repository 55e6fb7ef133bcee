/**
 * A migration to a host whose login shell is slow (every command first waits 15 s in a shell
 * startup that all shells of the host take one at a time, like a `.bashrc` running `pyenv init`)
 * completes with livemig's default SSH settings: nothing times out, nothing is left behind. The
 * lab's shells and livemig's timeouts share the lab clock, so this runs in simulated time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type LabRunner, startLabRunner } from './lab-harness.js';
import { approver, expectPlacement, requester } from './outcome-checks.js';

let h: LabRunner | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('a migration to a host with a slow login shell', () => {
  it('completes with the default timeouts, and the VM ends on the slow host only', async () => {
    h = await startLabRunner('icehouse-patched', {
      lab: { slowLoginShellMs: { node03: 15_000 } },
    });
    const startedAt = h.clock.now();
    const before = await h.cluster.showServer('web01');
    const request = await h.runner.createRequest({ vm: 'web01', destination: 'node03', requester });
    expect(request.checks?.checks.filter((check) => check.status === 'block')).toEqual([]);
    const approval = await h.runner.approve(request.id, approver, { actorIsApprover: true });
    if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
    const done = await h.runner.waitForMigration(approval.migrationId);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const hosts = ['node01', 'node03'];
    await expectPlacement(h, {
      uuid: before.uuid,
      home: 'node03',
      hosts,
      instanceName: before.instanceName!,
    });
    // The slow host really was slow (on the lab clock, which also runs livemig's timeouts): its
    // shells start one at a time, so every command it ran cost 15 s of the whole.
    const onSlowHost = h.commands('node03').length;
    expect(onSlowHost).toBeGreaterThan(3);
    expect(h.clock.now() - startedAt).toBeGreaterThanOrEqual(onSlowHost * 15_000);
  }, 180_000);

  it('completes from a slow source too, whose every progress poll waits for a shell', async () => {
    h = await startLabRunner('juno', { lab: { slowLoginShellMs: { node03: 15_000 } } });
    const before = await h.cluster.showServer('git01');
    const request = await h.runner.createRequest({ vm: 'git01', destination: 'node04', requester });
    const approval = await h.runner.approve(request.id, approver, { actorIsApprover: true });
    if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
    const done = await h.runner.waitForMigration(approval.migrationId);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const hosts = ['node03', 'node04'];
    await expectPlacement(h, {
      uuid: before.uuid,
      home: 'node04',
      hosts,
      instanceName: before.instanceName!,
    });
  }, 180_000);
});
