import { describe, expect, it } from 'vitest';
import { checkDowntimeBudget } from '../../../../src/engine/preflight/rules/downtime-budget.js';
import { knownFact, rebootedFacts } from '../fixtures.js';

/** dstest's facts with live_migration_flag as given (8 GiB over 117 MiB/s: a ~70 s copy). */
function withFlags(flags: string[], acceptedDowntimeMs?: number) {
  const facts = rebootedFacts();
  const conf = facts.sourceNovaConf.state === 'known' ? facts.sourceNovaConf.value : undefined;
  return {
    ...facts,
    target: { ...facts.target, options: { ...facts.target.options, acceptedDowntimeMs } },
    sourceNovaConf: knownFact({ ...conf!, liveMigrationFlags: flags }),
    dirtyRate: { state: 'measured', mibPerSec: 20, periodSec: 1 } as const,
  };
}

const live = ['VIR_MIGRATE_UNDEFINE_SOURCE', 'VIR_MIGRATE_PEER2PEER', 'VIR_MIGRATE_LIVE'];
const notLive = ['VIR_MIGRATE_UNDEFINE_SOURCE', 'VIR_MIGRATE_PEER2PEER'];

describe('downtime budget rule', () => {
  it('passes a true live migration whose stop-and-copy pause fits the budget', () => {
    expect(checkDowntimeBudget(withFlags(live))).toMatchObject({
      status: 'pass',
      explanation: 'Pause ~60 ms (the final stop-and-copy round), within the 5 s budget.',
    });
  });

  it('blocks a migration without VIR_MIGRATE_LIVE: the whole copy pauses the guest', () => {
    const result = checkDowntimeBudget(withFlags(notLive));
    expect(result).toMatchObject({
      status: 'block',
      explanation:
        'The guest would be paused ~1 min 10 s: live_migration_flag has no VIR_MIGRATE_LIVE, so the guest is paused for the whole copy. The downtime budget is 5 s.',
    });
    expect(result?.fix).toBe(
      'Set VIR_MIGRATE_LIVE in [libvirt] live_migration_flag on the compute nodes; or accept the pause with --accept-downtime 85s; or migrate when the pause does not matter.',
    );
  });

  it('warns, naming the accepted pause, when the requester accepted at least the predicted pause', () => {
    expect(checkDowntimeBudget(withFlags(notLive, 90_000))).toMatchObject({
      status: 'warn',
      explanation: expect.stringContaining(
        'accepted up to 1 min 30 s by the requester, above the 5 s budget',
      ),
    });
  });

  it('still blocks when the accepted pause is shorter than the predicted one', () => {
    expect(checkDowntimeBudget(withFlags(notLive, 30_000))).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('The downtime budget is 5 s, and 30 s was accepted.'),
    });
  });
});

describe('downtime budget rule without a measured dirty rate', () => {
  it('does not claim a pause it cannot know', () => {
    const facts = { ...withFlags(live), dirtyRate: { state: 'unknown', reason: 'libvirt too old' } as const };
    expect(checkDowntimeBudget(facts)).toMatchObject({
      status: 'pass',
      explanation: 'Not predictable without the dirty rate; livemig forces no pause above 5 s.',
    });
  });
});
