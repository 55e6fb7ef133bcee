import { describe, expect, it } from 'vitest';
import { checkHostsAnswered } from '../../../../src/engine/preflight/rules/hosts-answered.js';
import { seedFacts, withDestinationDown } from '../fixtures.js';

describe('hosts-answered rule', () => {
  it('passes when every host answered', () => {
    expect(checkHostsAnswered(seedFacts())?.status).toBe('pass');
  });

  it('blocks naming node10 and its error when the destination is down, listing what was not checked', () => {
    const result = checkHostsAnswered(withDestinationDown(seedFacts()));
    expect(result?.status).toBe('block');
    expect(result?.explanation).toBe(
      'node10 could not be reached: cannot connect to node10 (127.0.0.1:2210): connect ECONNREFUSED (needed for the destination host CPU, nova.conf of the destination, the instance directory, domains on the destination)',
    );
  });

  it('reports a failing command as failed, not as unreachable', () => {
    const facts = {
      ...seedFacts(),
      domain: {
        state: 'failed',
        host: 'node05',
        code: 'remote_command_failed',
        error: "virsh dumpxml exited 1: Domain not found: no domain with matching name 'instance-0000002a'",
      } as const,
    };
    expect(checkHostsAnswered(facts)?.explanation).toMatch(/^node05 failed: virsh dumpxml exited 1/);
  });

  it('leaves a missing VM to the vm rule', () => {
    const facts = {
      ...seedFacts(),
      server: { state: 'failed', host: 'control01', code: 'not_found', error: 'no such server' } as const,
    };
    expect(checkHostsAnswered(facts)).toBeNull();
  });
});
