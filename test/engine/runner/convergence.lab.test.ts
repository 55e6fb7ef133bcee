/**
 * A copy that does not converge is acted on within a bounded time, by the downtime budget's rule:
 * force-complete when the requester accepted the pause and nova can, else abort. The pre-flight
 * lets db01 go here because livemig.yml claims 10 GbE links the lab's hosts do not have, as a
 * dirty rate that cannot be measured before the copy would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { type LabRunner, startLabRunner } from './lab-harness.js';
import { approver, expectPlacement, requester, sentCommands } from './outcome-checks.js';

let h: LabRunner | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** livemig.yml claims 10 GbE for every hypervisor; the lab copies at 1 GbE. */
const overstatedLinks = (config: Config): Config => ({
  ...config,
  cluster: {
    ...config.cluster,
    linkMiBps: 1170,
    hypervisors: config.cluster.hypervisors.map((host) => ({ ...host, linkMiBps: 1170 })),
  },
});

describe('a copy that does not converge', () => {
  it('is aborted within minutes, not after nova’s timeout of hours, when no pause was accepted', async () => {
    const lab = await startLabRunner('juno', { configure: overstatedLinks });
    h = lab;
    const before = await lab.cluster.showServer('db01');
    const request = await lab.runner.createRequest({ vm: 'db01', destination: 'node04', requester });
    expect(request.state).toBe('awaiting_approval');
    const approval = await lab.runner.approve(request.id, approver, { actorIsApprover: true });
    if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
    const done = await lab.runner.waitForMigration(approval.migrationId);

    expect(done.state).toBe('failed');
    expect(done.error?.step).toBe('wait_for_completion');
    expect(done.error?.message).toMatch(
      /the copy does not converge \(memory remaining .*\) and pausing db01 to finish it was not accepted, so livemig aborted the copy/,
    );
    // nova's own timeout would be 800 s per GiB of RAM: hours for db01.
    expect(done.finishedAt! - done.startedAt!).toBeLessThan(15 * 60_000);
    expect(sentCommands(lab)).toContain(`virsh domjobabort ${before.instanceName}`);
    await expectPlacement(lab, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts: ['node03', 'node04'],
      home: 'node03',
    });
  });
});
