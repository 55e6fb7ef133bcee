import { describe, expect, it } from 'vitest';
import type { GuestCpu } from '../../../../src/cpu/index.js';
import { checkGuestCpu } from '../../../../src/engine/preflight/rules/guest-cpu.js';
import { knownFact, rebootedFacts, sandyBridgeHost, seedFacts, westmereHost } from '../fixtures.js';

describe('guest-cpu rule', () => {
  it("blocks dstest on node10: the guest's SandyBridge CPU needs avx, xsave, … which Westmere lacks", () => {
    const result = checkGuestCpu(seedFacts());
    expect(result?.status).toBe('block');
    expect(result?.explanation).toBe(
      "node10 (Westmere) lacks avx, osxsave, xsave, xsaveopt required by dstest's SandyBridge CPU.",
    );
    expect(result?.fix).toContain('nova reboot --hard a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11');
  });

  it('passes a Westmere guest on node10', () => {
    expect(checkGuestCpu(rebootedFacts())).toMatchObject({
      status: 'pass',
      explanation: "node10 (Westmere) provides every feature dstest's Westmere CPU requires.",
    });
  });

  it('passes the SandyBridge guest to another SandyBridge host', () => {
    const facts = { ...seedFacts(), destinationHostCpu: knownFact(sandyBridgeHost) };
    facts.target = { ...facts.target, destination: 'node04' };
    expect(checkGuestCpu(facts)?.status).toBe('pass');
  });

  it('blocks a host-passthrough guest unless the destination CPU is identical', () => {
    const facts = {
      ...seedFacts(),
      guestCpu: knownFact<GuestCpu>({ mode: 'host-passthrough', features: [], live: true }),
      destinationHostCpu: knownFact(westmereHost),
    };
    const result = checkGuestCpu(facts);
    expect(result?.status).toBe('block');
    expect(result?.explanation).toContain('passes through');
    expect(result?.explanation).not.toContain('never');
    // nova.conf on the source says custom Westmere: a HARD reboot regenerates the CPU from it.
    expect(result?.fix).toMatch(
      /^Hard-reboot it once \(nova reboot --hard .*\): nova.conf on node05 says cpu_mode = custom, cpu_model = Westmere, so it then runs Westmere/,
    );
  });

  it('blocks rather than crashes on a CPU model livemig cannot decode', () => {
    const facts = {
      ...seedFacts(),
      guestCpu: knownFact<GuestCpu>({ mode: 'custom', model: 'Quantum9000', features: [], live: true }),
    };
    expect(checkGuestCpu(facts)).toMatchObject({
      status: 'block',
      explanation: expect.stringContaining('Quantum9000'),
    });
  });
});
