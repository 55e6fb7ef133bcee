import { describe, expect, it } from 'vitest';
import { type PlanFacts, planSteps } from '../../../src/engine/runner/index.js';

const facts: PlanFacts = {
  uuid: 'a1564ec8-0000-4000-8000-000000000001',
  source: 'node05',
  destination: 'node10',
  instancesPath: '/var/lib/nova/instances',
  destinationDirExists: false,
  sourceDirExists: true,
};

describe('planSteps', () => {
  it('creates the instance dir on the destination and removes the source dir on patched Icehouse', () => {
    const plan = planSteps('icehouse-patched', facts);
    expect(plan.map((s) => s.name)).toEqual([
      'recheck',
      'create_instance_dir',
      'live_migrate',
      'wait_for_completion',
      'verify_destination',
      'remove_source_dir',
    ]);
    expect(plan[1]).toMatchObject({
      host: 'node10',
      summary: expect.stringContaining('/var/lib/nova/instances/a1564ec8'),
    });
    expect(plan[5]).toMatchObject({ host: 'node05', state: 'cleaning_up' });
  });

  it.each(['juno', 'kilo-or-later'] as const)(
    'creates no dir on %s (nova does) but verifies the source dir nova may leave behind',
    (release) => {
      const plan = planSteps(release, facts);
      expect(plan.map((s) => s.name)).toEqual([
        'recheck',
        'live_migrate',
        'wait_for_completion',
        'verify_destination',
        'clean_source_dir',
      ]);
      expect(plan[4]).toMatchObject({ host: 'node05', state: 'cleaning_up' });
    },
  );

  it('adds no dir steps on stock Icehouse (its shared-storage check owns the dirs)', () => {
    expect(planSteps('icehouse', facts).map((s) => s.name)).toEqual([
      'recheck',
      'live_migrate',
      'wait_for_completion',
      'verify_destination',
    ]);
  });

  it('does not create a dir that is already there, so a rollback never removes what livemig did not make', () => {
    const names = planSteps('icehouse-patched', { ...facts, destinationDirExists: true }).map((s) => s.name);
    expect(names).not.toContain('create_instance_dir');
  });

  it('has nothing to clean up when the source has no instance dir', () => {
    const names = planSteps('icehouse-patched', { ...facts, sourceDirExists: false }).map((s) => s.name);
    expect(names).not.toContain('remove_source_dir');
  });
});
