/**
 * Crashes inside the failure path (the lab fails the copy) and the cancel path (cancelled
 * mid-copy): a fresh runner on the same data dir must finish what the dead one began, with the
 * VM running on its source, the dirs as they were, and nothing sent twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import { isTerminal, type MigrationRunner } from '../../../src/engine/runner/index.js';
import {
  approver,
  type Boundary,
  crashOnce,
  expectPlacement,
  expectSideEffects,
  pingPongHosts,
  requester,
  restartAndReconcile,
} from './crash-support.js';
import { type LabRunner, startLabRunner } from './lab-harness.js';

const vm = 'dns01';
const [source, destination] = pingPongHosts;
const failure = 'Live Migration failure: operation failed: migration job: unexpectedly failed';
const releases: NovaRelease[] = ['icehouse-patched', 'juno', 'kilo-or-later'];

/** Patched Icehouse undoes the dir livemig created; on Juno and later nova owns the dirs. */
function rollbackBoundaries(release: NovaRelease): Boundary[] {
  if (release !== 'icehouse-patched') return [];
  return [
    { step: 'rollback_instance_dir', moment: 'before_side_effect' },
    { step: 'rollback_instance_dir', moment: 'after_side_effect' },
  ];
}

const failureBoundaries = (release: NovaRelease): Boundary[] => [
  // nova reported the failure; the runner died before journaling it.
  { step: 'wait_for_completion', moment: 'after_side_effect' },
  // The failure is journaled and settling began.
  { step: 'settle', moment: 'before_side_effect' },
  ...rollbackBoundaries(release),
];

const cancelBoundaries = (release: NovaRelease): Boundary[] => [
  // The cancel is on record; the runner died before acting on it.
  { step: 'wait_for_completion', moment: 'between_polls' },
  { step: 'abort', moment: 'before_side_effect' },
  { step: 'abort', moment: 'after_side_effect' },
  ...rollbackBoundaries(release),
];

async function approvedMigration(runner: MigrationRunner) {
  const request = await runner.createRequest({ vm, destination, requester });
  const approval = await runner.approve(request.id, approver, { actorIsApprover: true });
  if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
  return { request, migrationId: approval.migrationId };
}

describe.each(releases)('crash while a migration fails or is cancelled, on %s', (release) => {
  let h: LabRunner;
  beforeAll(async () => {
    h = await startLabRunner(release);
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function placed() {
    const server = await h.cluster.showServer(vm);
    expect(server.host).toBe(source);
    h.lab.commandLog.clear();
    return { uuid: server.uuid, instanceName: server.instanceName!, hosts: pingPongHosts, home: source };
  }

  it.each(failureBoundaries(release))(
    'a failed copy, crash at $step ($moment): failed, on the source, dirs right, nothing repeated',
    async (boundary) => {
      const placement = await placed();
      h.lab.world.faults.failMigrationAt(vm, 'copying', failure);
      const crash = crashOnce(boundary);
      const doomed = await h.restart(crash.hooks);
      const { request, migrationId } = await approvedMigration(doomed.runner);
      await doomed.runner.idle();
      expect(crash.crashed()).toBe(true);
      expect(isTerminal(doomed.store.getMigration(migrationId)!.state)).toBe(false);

      const fresh = await restartAndReconcile(h, migrationId);
      const m = fresh.store.getMigration(migrationId)!;
      expect(m.state).toBe('failed');
      expect(m.error?.step).toBe('wait_for_completion');
      expect(m.error?.message).toMatch(
        new RegExp(`failed at wait_for_completion: .*${vm} is ACTIVE on ${source}`),
      );
      // Patched Icehouse: the dir livemig created; Juno+: the one nova created and left behind.
      expect(m.error?.message).toMatch(new RegExp(`Rolled back: removed .* from ${destination}`));
      expect(m.error?.logExcerpt).toMatch(/unexpectedly failed/);
      expect(fresh.store.getRequest(request.id)?.finishedAt).toBeDefined();
      await expectPlacement(h, placement);
      expectSideEffects(h, release, placement.uuid, { migrations: 1, aborts: 0 });
    },
  );

  it.each(cancelBoundaries(release))(
    'a cancel mid-copy, crash at $step ($moment): cancelled, on the source, dirs right, nothing repeated',
    async (boundary) => {
      const placement = await placed();
      let cancelling: Promise<unknown> | undefined;
      let doomedStore: LabRunner['store'] | undefined;
      const crash = crashOnce(
        boundary,
        (at) => doomedStore?.getMigration(at.migrationId)?.cancelRequestedBy !== undefined,
      );
      const doomed = await h.restart(crash.hooks);
      doomedStore = doomed.store;
      doomed.runner.subscribe((e) => {
        if (e.kind === 'progress' && e.migrationId && cancelling === undefined) {
          cancelling = doomed.runner.cancel(e.migrationId, approver);
        }
      });
      const { request, migrationId } = await approvedMigration(doomed.runner);
      await doomed.runner.idle();
      await cancelling;
      expect(crash.crashed()).toBe(true);
      expect(isTerminal(doomed.store.getMigration(migrationId)!.state)).toBe(false);

      const fresh = await restartAndReconcile(h, migrationId);
      const m = fresh.store.getMigration(migrationId)!;
      expect(m.state, m.error?.message).toBe('cancelled');
      expect(m.journal.at(-1)?.detail).toMatch(
        new RegExp(
          `Cancelled by ${approver.id}.* ACTIVE on ${source}.* Rolled back: removed .* from ${destination}`,
        ),
      );
      expect(fresh.store.getRequest(request.id)?.finishedAt).toBeDefined();
      await expectPlacement(h, placement);
      expectSideEffects(h, release, placement.uuid, { migrations: 1, aborts: 1 });
    },
  );
});
