import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerCrash, type StepBoundary } from '../../../src/engine/runner/index.js';
import { type LabRunner, startLabRunner } from './lab-harness.js';

const requester = { id: 'UALICE', via: 'slack' as const };
const approver = { id: 'UBOB', via: 'slack' as const };
const vm = 'dns01';
const hosts = ['node01', 'node02'] as const;

/** Every place a kill -9 can land between two journal writes of a patched-Icehouse migration. */
const boundaries: Omit<StepBoundary, 'migrationId'>[] = [
  ...[
    'recheck',
    'create_instance_dir',
    'live_migrate',
    'wait_for_completion',
    'verify_destination',
    'remove_source_dir',
  ].flatMap((step) => [
    { step, moment: 'before_side_effect' as const },
    { step, moment: 'after_side_effect' as const },
  ]),
  { step: 'wait_for_completion', moment: 'between_polls' },
];

describe('crash safety: kill the runner at every step boundary, restart, reconcile', () => {
  let h: LabRunner;
  beforeAll(async () => {
    h = await startLabRunner('icehouse-patched');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each(boundaries)(
    'crash at $step ($moment) ends terminal, on one host, with the right dirs and no repeated side effect',
    async (boundary) => {
      const before = await h.cluster.showServer(vm);
      const source = before.host!;
      const destination = hosts.find((x) => x !== source)!;
      h.lab.commandLog.clear();

      let crashed = false;
      const doomed = await h.restart({
        atStepBoundary: (at) => {
          if (!crashed && at.step === boundary.step && at.moment === boundary.moment) {
            crashed = true;
            throw new RunnerCrash(at);
          }
        },
      });
      const request = await doomed.runner.createRequest({ vm, destination, requester });
      const approval = await doomed.runner.approve(request.id, approver, { actorIsApprover: true });
      if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
      await doomed.runner.idle();
      expect(crashed).toBe(true);
      expect(doomed.store.getMigration(approval.migrationId)?.state).not.toMatch(
        /succeeded|failed|cancelled/,
      );

      const fresh = await h.restart();
      const report = await fresh.runner.reconcile();
      expect(report.resumed).toEqual([approval.migrationId]);
      await fresh.runner.idle();

      const m = fresh.store.getMigration(approval.migrationId)!;
      expect(['succeeded', 'failed']).toContain(m.state);
      const migrationStarted =
        boundary.step !== 'recheck' &&
        boundary.step !== 'create_instance_dir' &&
        !(boundary.step === 'live_migrate' && boundary.moment === 'before_side_effect');
      expect(m.state).toBe(migrationStarted ? 'succeeded' : 'failed');

      const server = await h.cluster.showServer(before.uuid);
      const runningOn = [];
      for (const host of hosts)
        if ((await h.cluster.domainState(host, before.instanceName!)) === 'running') runningOn.push(host);
      expect(runningOn).toEqual([server.host]);
      const home = server.host!;
      const other = hosts.find((x) => x !== home)!;
      expect(home).toBe(migrationStarted ? destination : source);
      expect(await h.cluster.instanceDirExists(home, before.uuid)).toBe(true);
      expect(await h.cluster.instanceDirExists(other, before.uuid)).toBe(false);

      const sent = h.commands().map((argv) => argv.join(' '));
      expect(sent.filter((c) => c.startsWith(`nova live-migration ${before.uuid}`)).length).toBe(
        migrationStarted ? 1 : 0,
      );
      expect(sent.filter((c) => c.startsWith('mkdir')).length).toBeLessThanOrEqual(1);
      expect(fresh.store.getRequest(request.id)?.finishedAt).toBeDefined();
    },
  );
});
