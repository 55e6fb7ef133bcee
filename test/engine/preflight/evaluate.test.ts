import { describe, expect, it } from 'vitest';
import { evaluatePreflight } from '../../../src/engine/preflight/evaluate.js';
import { preflightRules } from '../../../src/engine/preflight/rules/index.js';
import { rebootedFacts, seedFacts, withDestinationDown } from './fixtures.js';

describe('evaluatePreflight', () => {
  it('blocks dstest -> node10 for its CPU and flags it for a hard reboot', () => {
    const evaluation = evaluatePreflight(seedFacts());
    expect(evaluation.verdict).toBe('block');
    const byId = Object.fromEntries(evaluation.checks.map((check) => [check.id, check.status]));
    expect(byId).toMatchObject({ 'guest-cpu': 'block', 'cpu-reboot': 'warn', vm: 'pass', capacity: 'pass' });
  });

  it('says go once dstest runs the Westmere baseline, with a prediction', () => {
    const evaluation = evaluatePreflight(rebootedFacts());
    expect(evaluation.verdict).toBe('go');
    // Every rule speaks, in registry order, except the one about --block-migrate, which was not asked for.
    expect(evaluation.checks.map((check) => check.id)).toEqual(
      Object.keys(preflightRules).filter((id) => id !== 'block-migration'),
    );
    expect(evaluation.prediction).toMatchObject({
      converges: true,
      bandwidthMiBps: 117,
      dirtyRateMiBps: 20,
      live: true,
    });
  });

  it('says warn when the worst finding is a warning', () => {
    const facts = { ...rebootedFacts(), dirtyRate: { state: 'unknown', reason: 'not measured' } as const };
    expect(evaluatePreflight(facts).verdict).toBe('warn');
  });

  it('blocks, naming the host, when the destination is down, and leaves out what it could not check', () => {
    const evaluation = evaluatePreflight(withDestinationDown(rebootedFacts()));
    expect(evaluation.verdict).toBe('block');
    const ids = evaluation.checks.map((check) => check.id);
    expect(ids).toContain('hosts-answered');
    expect(ids).not.toContain('guest-cpu');
    expect(ids).not.toContain('instance-dir');
    expect(evaluation.checks.find((check) => check.id === 'hosts-answered')?.explanation).toMatch(
      /^node10 could not be reached/,
    );
  });
});
