import { describe, expect, it } from 'vitest';
import { checkDestination } from '../../../../src/engine/preflight/rules/destination.js';
import { computeServices, knownFact, seedFacts } from '../fixtures.js';

function withNode10Service(change: Partial<(typeof computeServices)[number]>) {
  return knownFact(
    computeServices.map((service) => (service.host === 'node10' ? { ...service, ...change } : service)),
  );
}

describe('destination rule', () => {
  it('passes node10 with nova-compute up and enabled', () => {
    expect(checkDestination(seedFacts())).toMatchObject({
      status: 'pass',
      explanation: 'nova-compute on node10 is up and enabled.',
    });
  });

  it('blocks a destination that is not in the inventory', () => {
    const facts = seedFacts();
    facts.target = { ...facts.target, destination: 'node99' };
    expect(checkDestination(facts)).toMatchObject({
      status: 'block',
      explanation: expect.stringMatching(/^node99 is not a hypervisor in livemig's inventory/),
    });
  });

  it('blocks moving a VM to the host it already runs on', () => {
    const facts = seedFacts();
    facts.target = { ...facts.target, destination: 'node05' };
    expect(checkDestination(facts)).toMatchObject({
      status: 'block',
      explanation: 'The VM already runs on node05.',
    });
  });

  it('blocks when nova-compute on the destination is down', () => {
    const facts = { ...seedFacts(), computeServices: withNode10Service({ state: 'down' }) };
    expect(checkDestination(facts)).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('nova-compute on node10 is down'),
    });
  });

  it('blocks a disabled destination and shows the reason and the enable command', () => {
    const facts = {
      ...seedFacts(),
      computeServices: withNode10Service({ status: 'disabled', disabledReason: 'RAM replacement' }),
    };
    expect(checkDestination(facts)).toMatchObject({
      status: 'block',
      explanation: 'nova-compute on node10 is disabled (reason: RAM replacement).',
      fix: 'If the host is fit again: `nova service-enable node10 nova-compute`.',
    });
  });
});
