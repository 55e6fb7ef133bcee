import { describe, expect, it } from 'vitest';
import { checkCpuReboot } from '../../../../src/engine/preflight/rules/cpu-reboot.js';
import { dstestUuid, knownFact, rebootedFacts, seedFacts, westmereNovaConf } from '../fixtures.js';

describe('cpu-reboot rule', () => {
  it('flags dstest, booted before the Westmere baseline, for a HARD reboot', () => {
    expect(checkCpuReboot(seedFacts())).toMatchObject({
      status: 'warn',
      explanation: `dstest's live CPU is SandyBridge, but the fleet's cpu_model is Westmere: it was booted before the baseline change and needs a HARD reboot once (nova reboot --hard ${dstestUuid}); a soft reboot keeps the old CPU.`,
      fix: `nova reboot --hard ${dstestUuid}`,
    });
  });

  it('passes a VM that runs the fleet model', () => {
    expect(checkCpuReboot(rebootedFacts())).toMatchObject({
      status: 'pass',
      explanation: "dstest runs the fleet's cpu_model Westmere.",
    });
  });

  it('warns when the destination is configured with another CPU model (config drift)', () => {
    const facts = {
      ...rebootedFacts(),
      destinationNovaConf: knownFact({ ...westmereNovaConf, cpuMode: 'host-model', cpuModels: [] }),
    };
    expect(checkCpuReboot(facts)).toMatchObject({
      status: 'warn',
      explanation: expect.stringContaining('node05 has cpu_model Westmere, node10 has cpu_mode host-model'),
    });
  });

  it('has nothing to compare against when no baseline is configured', () => {
    const facts = {
      ...seedFacts(),
      sourceNovaConf: knownFact({ ...westmereNovaConf, cpuMode: null, cpuModels: [] }),
    };
    expect(checkCpuReboot(facts)).toMatchObject({
      status: 'pass',
      explanation: expect.stringContaining('No CPU baseline configured on node05'),
    });
  });
});
