import { describe, expect, it } from 'vitest';
import { type HostCpu, hostCpuCatalog } from '../../../src/cpu/index.js';
import { computeFleetBaselines } from '../../../src/engine/fleet/fleet-baseline.js';
import { novaConfAdvice } from '../../../src/engine/fleet/nova-conf-lines.js';

const sandyBridge = hostCpuCatalog['Intel Xeon E5-2670']!;
const westmere = hostCpuCatalog['Intel Xeon X5650']!;
const epyc = hostCpuCatalog['AMD EPYC 7601']!;

function fleet(...entries: [string, HostCpu][]): { host: string; cpu: HostCpu }[] {
  return entries.map(([host, cpu]) => ({ host, cpu }));
}

describe('fleet baseline', () => {
  it('is the older model and names the older hosts as the limit, with what they lack', () => {
    const [baseline, ...others] = computeFleetBaselines(
      fleet(['node01', sandyBridge], ['node02', sandyBridge], ['node06', westmere]),
      'icehouse-patched',
    );
    expect(others).toEqual([]);
    expect(baseline).toMatchObject({
      model: 'Westmere',
      vendor: 'Intel',
      hosts: ['node01', 'node02', 'node06'],
    });
    expect(baseline!.cpuGroups).toEqual([
      { model: 'SandyBridge', vendor: 'Intel', hosts: ['node01', 'node02'] },
      { model: 'Westmere', vendor: 'Intel', hosts: ['node06'] },
    ]);
    expect(baseline!.limiting).toEqual([
      { model: 'Westmere', hosts: ['node06'], lacks: expect.arrayContaining(['avx', 'xsave']) },
    ]);
    expect(baseline!.xml).toContain("<model fallback='allow'>Westmere</model>");
  });

  it('has no limiting hosts when every host has the same CPU', () => {
    const [baseline] = computeFleetBaselines(fleet(['a', westmere], ['b', westmere]), 'juno');
    expect(baseline!.limiting).toEqual([]);
    expect(baseline!.model).toBe('Westmere');
  });

  it('computes one baseline per vendor instead of failing on a mixed fleet, largest first', () => {
    const baselines = computeFleetBaselines(
      fleet(['amd1', epyc], ['intel1', westmere], ['intel2', sandyBridge]),
      'kilo-or-later',
    );
    expect(baselines.map((b) => [b.vendor, b.hosts])).toEqual([
      ['Intel', ['intel1', 'intel2']],
      ['AMD', ['amd1']],
    ]);
  });
});

describe('nova.conf lines for the baseline', () => {
  it('uses cpu_model on every supported release', () => {
    for (const release of ['icehouse', 'icehouse-patched', 'juno', 'kilo-or-later'] as const) {
      expect(novaConfAdvice('Westmere', release, 0).lines).toEqual([
        '[libvirt]',
        'cpu_mode = custom',
        'cpu_model = Westmere',
      ]);
    }
  });

  it("notes Train's cpu_models rename only where the deployment may be that new", () => {
    expect(novaConfAdvice('Westmere', 'kilo-or-later', 0).notes.join('\n')).toMatch(
      /Train .*cpu_models = Westmere/,
    );
    expect(novaConfAdvice('Westmere', 'juno', 0).notes.join('\n')).not.toMatch(/Train/);
  });

  it('says that extra baseline features are not exposed by cpu_model', () => {
    expect(novaConfAdvice('Westmere', 'juno', 3).notes.join('\n')).toMatch(/3 extra feature\(s\)/);
  });
});
