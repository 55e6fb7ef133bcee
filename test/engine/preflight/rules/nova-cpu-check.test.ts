import { describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../../src/config/schema.js';
import { checkNovaCpuCheck } from '../../../../src/engine/preflight/rules/nova-cpu-check.js';
import { knownFact, rebootedFacts, sandyBridgeHost, westmereHost } from '../fixtures.js';

function onRelease(release: NovaRelease) {
  const facts = rebootedFacts();
  return { ...facts, settings: { ...facts.settings, release } };
}

describe('nova-cpu-check rule', () => {
  it('predicts InvalidCPUInfo on stock Icehouse for node05 -> node10 even though the Westmere guest would run', () => {
    const result = checkNovaCpuCheck(onRelease('icehouse'));
    expect(result?.status).toBe('block');
    expect(result?.explanation).toContain('compares the SOURCE HOST');
    expect(result?.explanation).toContain('bug 1082414');
    expect(result?.explanation).toContain('lacks avx');
    expect(result?.explanation).toContain(
      "InvalidCPUInfo_Remote Unacceptable CPU info: CPU doesn't have compatibility.",
    );
  });

  it('predicts the same refusal on Juno', () => {
    expect(checkNovaCpuCheck(onRelease('juno'))?.status).toBe('block');
  });

  it('lets Icehouse move from an older host to a newer one', () => {
    const facts = {
      ...onRelease('icehouse'),
      sourceHostCpu: knownFact(westmereHost),
      destinationHostCpu: knownFact(sandyBridgeHost),
    };
    expect(checkNovaCpuCheck(facts)?.status).toBe('pass');
  });

  it("says on patched Icehouse that livemig's guest check is the only guard", () => {
    expect(checkNovaCpuCheck(onRelease('icehouse-patched'))).toMatchObject({
      status: 'pass',
      explanation: expect.stringContaining("livemig's guest CPU check is the only guard"),
    });
  });

  it('warns on Kilo and later that a VM booted before Kilo is still compared by host CPU', () => {
    expect(checkNovaCpuCheck(onRelease('kilo-or-later'))).toMatchObject({
      status: 'warn',
      explanation: expect.stringContaining('booted before Kilo'),
    });
  });
});
