import { describe, expect, it } from 'vitest';
import { checkVm } from '../../../../src/engine/preflight/rules/vm.js';
import { dstest, knownFact, seedFacts } from '../fixtures.js';

describe('vm rule', () => {
  it('passes dstest: ACTIVE and running on node05', () => {
    expect(checkVm(seedFacts())).toMatchObject({
      status: 'pass',
      explanation: expect.stringContaining('running on node05'),
    });
  });

  it('blocks a VM nova does not know and says how to find the name', () => {
    const facts = {
      ...seedFacts(),
      server: {
        state: 'failed',
        host: 'control01',
        code: 'not_found',
        error: 'No server with a name or ID of dstets exists.',
      } as const,
    };
    facts.target = { ...facts.target, vmRef: 'dstets' };
    expect(checkVm(facts)).toMatchObject({
      status: 'block',
      explanation: 'nova knows no server named dstets.',
      fix: 'Check the name with `nova list`.',
    });
  });

  it('blocks a VM that nova is already migrating (task_state migrating)', () => {
    const facts = {
      ...seedFacts(),
      server: knownFact({ ...dstest, status: 'MIGRATING', taskState: 'migrating' }),
    };
    const result = checkVm(facts);
    expect(result.status).toBe('block');
    expect(result.explanation).toContain('task_state migrating');
  });

  it('blocks a VM livemig is already migrating', () => {
    const result = checkVm({ ...seedFacts(), migrationInProgress: true });
    expect(result).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('livemig is already migrating dstest'),
    });
  });

  it('blocks a stopped VM and points to a cold migration', () => {
    const facts = {
      ...seedFacts(),
      server: knownFact({ ...dstest, status: 'SHUTOFF', powerState: 4, vmState: 'stopped' }),
    };
    expect(checkVm(facts)).toMatchObject({ status: 'block', fix: expect.stringContaining('nova migrate') });
  });

  it('blocks a VM on a host livemig has no SSH access to', () => {
    const facts = { ...seedFacts(), server: knownFact({ ...dstest, host: 'node42' }) };
    expect(checkVm(facts)).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('node42, which is not in livemig'),
    });
  });
});
