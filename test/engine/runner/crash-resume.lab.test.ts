import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import { isTerminal, type StepName } from '../../../src/engine/runner/index.js';
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

/** The steps of a migration under each release (patched Icehouse adds the instance-dir steps). */
const stepsOf: Record<Exclude<NovaRelease, 'icehouse'>, StepName[]> = {
  'icehouse-patched': [
    'recheck',
    'create_instance_dir',
    'live_migrate',
    'wait_for_completion',
    'verify_destination',
    'remove_source_dir',
  ],
  juno: ['recheck', 'live_migrate', 'wait_for_completion', 'verify_destination'],
  'kilo-or-later': ['recheck', 'live_migrate', 'wait_for_completion', 'verify_destination'],
};

/** Every place a kill -9 can land between two journal writes of a migration that goes well. */
function boundariesOf(steps: StepName[]): Boundary[] {
  return [
    ...steps.flatMap((step) => [
      { step, moment: 'before_side_effect' as const },
      { step, moment: 'after_side_effect' as const },
    ]),
    { step: 'wait_for_completion', moment: 'between_polls' },
  ];
}

/** True when `nova live-migration` had been sent when the runner died at `b`. */
function migrationSent(b: Boundary, steps: StepName[]): boolean {
  const at = steps.indexOf(b.step as StepName);
  const live = steps.indexOf('live_migrate');
  return at > live || (at === live && b.moment === 'after_side_effect');
}

// Stock Icehouse plans like Juno (no dir steps) but nova refuses RBD-only instance dirs, so the
// pre-flight blocks every request and there is no migration to crash (see the last describe).
describe.each(Object.entries(stepsOf))(
  'crash safety on %s: kill the runner at every step boundary, restart, reconcile',
  (release, steps) => {
    let h: LabRunner;
    beforeAll(async () => {
      h = await startLabRunner(release as NovaRelease);
    });
    afterAll(async () => {
      await h?.stop();
    });

    it.each(boundariesOf(steps))(
      'crash at $step ($moment) ends terminal, on one host, with the right dirs and no repeated side effect',
      async (boundary) => {
        const before = await h.cluster.showServer(vm);
        const source = before.host!;
        const destination = pingPongHosts.find((x) => x !== source)!;
        h.lab.commandLog.clear();

        const crash = crashOnce(boundary);
        const doomed = await h.restart(crash.hooks);
        const request = await doomed.runner.createRequest({ vm, destination, requester });
        const approval = await doomed.runner.approve(request.id, approver, { actorIsApprover: true });
        if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
        await doomed.runner.idle();
        expect(crash.crashed()).toBe(true);
        expect(isTerminal(doomed.store.getMigration(approval.migrationId)!.state)).toBe(false);

        const fresh = await restartAndReconcile(h, approval.migrationId);
        const m = fresh.store.getMigration(approval.migrationId)!;
        const moved = migrationSent(boundary, steps);
        expect(m.state, m.error?.message).toBe(moved ? 'succeeded' : 'failed');
        if (!moved)
          expect(m.error?.message).toMatch(/livemig restarted .*(nothing was moved|did not start it)/);
        expect(fresh.store.getRequest(request.id)?.finishedAt).toBeDefined();

        await expectPlacement(h, {
          uuid: before.uuid,
          instanceName: before.instanceName!,
          hosts: pingPongHosts,
          home: moved ? destination : source,
        });
        expectSideEffects(h, release as NovaRelease, before.uuid, { migrations: moved ? 1 : 0, aborts: 0 });
      },
    );
  },
);

describe('crash safety on kilo-or-later around nova live-migration-force-complete', () => {
  let h: LabRunner;
  beforeAll(async () => {
    h = await startLabRunner('kilo-or-later');
  });
  afterAll(async () => {
    await h?.stop();
  });

  // db01 dirties memory faster than 1 GbE copies it: only a force-complete ends its copy.
  const hosts = ['node03', 'node04'] as const;
  it.each<Boundary>([
    { step: 'force_complete', moment: 'before_side_effect' },
    { step: 'force_complete', moment: 'after_side_effect' },
  ])('crash at $step ($moment) still moves db01, forcing it exactly once', async (boundary) => {
    const before = await h.cluster.showServer('db01');
    const destination = hosts.find((x) => x !== before.host)!;
    h.lab.commandLog.clear();
    const crash = crashOnce(boundary);
    const doomed = await h.restart(crash.hooks);
    const request = await doomed.runner.createRequest({
      vm: 'db01',
      destination,
      requester,
      options: { acceptedDowntimeMs: 10 * 60_000 },
    });
    const approval = await doomed.runner.approve(request.id, approver, { actorIsApprover: true });
    if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
    await doomed.runner.idle();
    expect(crash.crashed()).toBe(true);

    const fresh = await restartAndReconcile(h, approval.migrationId);
    const m = fresh.store.getMigration(approval.migrationId)!;
    expect(m.state, m.error?.message).toBe('succeeded');
    await expectPlacement(h, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts,
      home: destination,
    });
    expectSideEffects(h, 'kilo-or-later', before.uuid, { migrations: 1, aborts: 0 });
    const forced = h.commands('control01').filter((argv) => argv[1] === 'live-migration-force-complete');
    expect(forced).toHaveLength(1);
  });
});

describe('stock Icehouse: nothing to crash, the pre-flight refuses an RBD-only instance dir', () => {
  let h: LabRunner;
  beforeAll(async () => {
    h = await startLabRunner('icehouse');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('blocks the request at its checks and sends nova nothing', async () => {
    h.lab.commandLog.clear();
    const request = await h.runner.createRequest({ vm, destination: 'node02', requester });
    expect(request.state).toBe('blocked');
    expect(request.checks?.checks.filter((c) => c.status === 'block').map((c) => c.explanation)).toEqual(
      expect.arrayContaining([expect.stringMatching(/InvalidSharedStorage/)]),
    );
    expect(h.store.listMigrations()).toEqual([]);
    expect(h.commands('control01').filter((argv) => argv[1] === 'live-migration')).toEqual([]);
  });
});
