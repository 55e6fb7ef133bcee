import { describe, expect, it } from 'vitest';
import type { Hypervisor } from '../../../../src/cluster/types.js';
import { checkCapacity } from '../../../../src/engine/preflight/rules/capacity.js';
import { knownFact, seedFacts } from '../fixtures.js';

function withHypervisor(change: Partial<Hypervisor>) {
  const facts = seedFacts();
  const hypervisor =
    facts.destinationHypervisor.state === 'known' ? facts.destinationHypervisor.value : undefined;
  return { ...facts, destinationHypervisor: knownFact({ ...hypervisor!, ...change }) };
}

describe('capacity rule', () => {
  it('passes node10 with 80 GiB free for dstest 8 GiB', () => {
    expect(checkCapacity(seedFacts())).toMatchObject({
      status: 'pass',
      explanation: '81920 MiB RAM free for 8192 MiB; 18 vCPUs free for 4.',
    });
  });

  it('blocks when the destination has no more free RAM than the VM needs, as nova would', () => {
    const result = checkCapacity(withHypervisor({ freeRamMiB: 8192 }));
    expect(result).toMatchObject({ status: 'block', explanation: expect.stringContaining('Lack of memory') });
  });

  it('warns when the destination would be overcommitted on vCPUs', () => {
    expect(checkCapacity(withHypervisor({ vcpusUsed: 22 }))).toMatchObject({
      status: 'warn',
      explanation: expect.stringContaining('only 2 of 24 vCPUs'),
    });
  });

  it('warns that capacity is unknown on nova 2.88+, which hides free_ram_mb', () => {
    expect(checkCapacity(withHypervisor({ freeRamMiB: null }))?.status).toBe('warn');
  });
});
