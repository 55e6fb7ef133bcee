/**
 * db01 dirties memory faster than the lab's 1 GbE copies it: without --accept-downtime it must
 * never move by pausing the guest beyond the budget, on any release. Where libvirt can measure
 * the dirty rate beforehand (7.2+, Kilo and later here) the pre-flight blocks it. Where it cannot,
 * the first attempt's copy shows it (and is aborted within minutes, the guest never paused), and
 * every later request is blocked with the rate that copy showed, not a guess.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import type { RequestRecord } from '../../../src/store/types.js';
import { type LabRunner, startLabRunner } from './lab-harness.js';
import { approver, expectPlacement, requester } from './outcome-checks.js';

let h: LabRunner | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const blockOf = (request: RequestRecord, id?: string) =>
  request.checks?.checks.find((c) => c.status === 'block' && (id === undefined || c.id === id));

describe('db01 without --accept-downtime, on every release', () => {
  it('Kilo and later (libvirt 8.0) blocks it before the copy, from the measured dirty rate', async () => {
    h = await startLabRunner('kilo-or-later');
    const request = await h.runner.createRequest({ vm: 'db01', destination: 'node04', requester });
    expect(request.state).toBe('blocked');
    expect(blockOf(request)).toMatchObject({ id: 'convergence' });
    expect(blockOf(request)?.explanation).toMatch(/dirtying \d+ MiB\/s/);
  });

  it('stock Icehouse blocks it before the copy: without VIR_MIGRATE_LIVE the guest is paused throughout', async () => {
    h = await startLabRunner('icehouse');
    const request = await h.runner.createRequest({ vm: 'db01', destination: 'node04', requester });
    expect(request.state).toBe('blocked');
    expect(blockOf(request, 'downtime-budget')?.explanation).toMatch(/no VIR_MIGRATE_LIVE/);
  });

  for (const [release, source] of [
    ['icehouse-patched', 'libvirt'],
    ['juno', 'memory sent and remaining'],
  ] as const satisfies readonly (readonly [NovaRelease, string])[]) {
    it(`${release} (libvirt that cannot measure beforehand) aborts the first copy unpaused, then blocks it with the rate that copy showed (${source})`, async () => {
      h = await startLabRunner(release);
      const before = await h.cluster.showServer('db01');
      const first = await h.runner.createRequest({ vm: 'db01', destination: 'node04', requester });
      expect(first.state).toBe('awaiting_approval');
      expect(first.checks?.checks.find((c) => c.id === 'convergence')?.explanation).toMatch(
        /Dirty rate unknown/,
      );
      const approval = await h.runner.approve(first.id, approver, { actorIsApprover: true });
      if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
      const done = await h.runner.waitForMigration(approval.migrationId);
      expect(done.state).toBe('failed');
      expect(done.error?.message).toMatch(/the copy does not converge .* livemig aborted the copy/);
      // Bounded by livemig's own rule, not nova's timeout of 800 s per GiB (hours for db01).
      expect(done.finishedAt! - done.startedAt!).toBeLessThan(15 * 60_000);
      const hosts = ['node03', 'node04'];
      await expectPlacement(h, {
        uuid: before.uuid,
        home: 'node03',
        hosts,
        instanceName: before.instanceName!,
      });

      const again = await h.runner.createRequest({ vm: 'db01', destination: 'node04', requester });
      expect(again.state).toBe('blocked');
      const block = blockOf(again);
      expect(block).toMatchObject({ id: 'convergence' });
      expect(block?.explanation).toContain(`${approval.migrationId}'s copy at`);
      expect(block?.explanation).toContain(source);
      expect(block?.fix).toMatch(/--accept-downtime/);
    });
  }
});
