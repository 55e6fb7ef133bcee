import { describe, expect, it } from 'vitest';
import { checkConvergence } from '../../../../src/engine/preflight/rules/convergence.js';
import { knownFact, rebootedFacts } from '../fixtures.js';

function withDirtyRate(mibPerSec: number, allowForceComplete = false, linkMiBps = 117) {
  const facts = rebootedFacts();
  facts.target = { ...facts.target, options: { ...facts.target.options, allowForceComplete } };
  return {
    ...facts,
    settings: {
      ...facts.settings,
      linkMiBpsByHost: { ...facts.settings.linkMiBpsByHost, node10: linkMiBps },
    },
    dirtyRate: { state: 'measured', mibPerSec, periodSec: 1 } as const,
  };
}

describe('convergence rule', () => {
  it("passes a quiet 8 GiB VM over 1 GbE on Icehouse, where QEMU's 300 ms downtime limit applies", () => {
    expect(checkConvergence(withDirtyRate(20))).toMatchObject({
      status: 'pass',
      explanation: '~1 min 24 s in 5 rounds, pause ~60 ms (8 GiB RAM over 117 MiB/s, dirtying 20 MiB/s).',
    });
  });

  it("uses nova.conf's live_migration_downtime on Kilo and later", () => {
    const facts = withDirtyRate(20);
    const conf = facts.sourceNovaConf.state === 'known' ? facts.sourceNovaConf.value : undefined;
    const kilo = {
      ...facts,
      settings: { ...facts.settings, release: 'kilo-or-later' as const },
      sourceNovaConf: knownFact({ ...conf!, liveMigrationDowntimeMs: 500 }),
    };
    expect(checkConvergence(kilo)?.explanation).toBe(
      '~1 min 24 s in 4 rounds, pause ~350 ms (8 GiB RAM over 117 MiB/s, dirtying 20 MiB/s).',
    );
  });

  it('does not need the dirty rate when the guest is paused for the copy (no VIR_MIGRATE_LIVE)', () => {
    const facts = { ...rebootedFacts(), dirtyRate: { state: 'unknown', reason: 'not measured' } as const };
    const conf = facts.sourceNovaConf.state === 'known' ? facts.sourceNovaConf.value : undefined;
    const paused = {
      ...facts,
      sourceNovaConf: knownFact({ ...conf!, liveMigrationFlags: ['VIR_MIGRATE_PEER2PEER'] }),
    };
    expect(checkConvergence(paused)).toMatchObject({
      status: 'pass',
      explanation:
        '~1 min 10 s with the guest paused throughout (8 GiB RAM over 117 MiB/s, no VIR_MIGRATE_LIVE).',
    });
  });

  it('blocks a VM dirtying 122 MiB/s over a 102 MiB/s link: it never converges', () => {
    const result = checkConvergence(withDirtyRate(122, false, 102));
    expect(result?.status).toBe('block');
    expect(result?.explanation).toContain(
      'Never converges: the guest dirties 122 MiB/s, the link moves 102 MiB/s (rho 1.20)',
    );
    expect(result?.explanation).toContain('nova aborts it after 1 h 46 min');
    expect(result?.fix).toContain('--allow-force-complete');
  });

  it('warns with the expected pause when the user accepts force-complete', () => {
    const result = checkConvergence(withDirtyRate(122, true, 102));
    expect(result?.status).toBe('warn');
    expect(result?.explanation).toContain('the guest will be paused for ~1 min 20 s');
  });

  it('uses the slower of the two links', () => {
    expect(checkConvergence(withDirtyRate(20, false, 1170))?.explanation).toContain('over 117 MiB/s');
  });

  it('says the dirty rate is unknown, never 0, with the best case and the rate where convergence ends', () => {
    const facts = {
      ...rebootedFacts(),
      dirtyRate: {
        state: 'unknown',
        reason: 'virsh on node05 cannot measure it (domdirtyrate-calc needs libvirt 7.2 or later)',
      } as const,
    };
    const result = checkConvergence(facts);
    expect(result?.status).toBe('warn');
    expect(result?.explanation).toContain(
      'Dirty rate unknown (virsh on node05 cannot measure it (domdirtyrate-calc needs libvirt 7.2 or later)).',
    );
    expect(result?.explanation).toContain('8 GiB RAM over 117 MiB/s takes at least ~1 min 10 s');
    expect(result?.explanation).toMatch(/converges only while the guest dirties less than ~\d+ MiB\/s/);
    expect(result?.explanation).not.toContain('0 MiB/s');
  });

  it('puts the edge of convergence where the model stops converging', () => {
    const unknown = { ...rebootedFacts(), dirtyRate: { state: 'unknown', reason: 'x' } as const };
    const edge = Number(/less than ~(\d+) MiB\/s/.exec(checkConvergence(unknown)!.explanation)![1]);
    expect(edge).toBeGreaterThan(50);
    expect(edge).toBeLessThan(117);
    expect(checkConvergence(withDirtyRate(edge))?.status).toBe('pass');
    expect(checkConvergence(withDirtyRate(edge + 1))?.status).toBe('block');
  });
});
