import { describe, expect, it } from 'vitest';
import {
  capabilitiesCpuXml,
  decodeHostCpu,
  expandHostCpu,
  hostCpuCatalog,
  parseHostCpus,
} from '../../src/cpu/index.js';

describe('hostCpuCatalog', () => {
  it('names each CPU as libvirt 9.0 would in virsh capabilities', () => {
    const models = Object.fromEntries(Object.entries(hostCpuCatalog).map(([name, cpu]) => [name, cpu.model]));
    expect(models).toEqual({
      'Intel Xeon X5570': 'Nehalem',
      'Intel Xeon X5650': 'Westmere',
      'Intel Xeon E5-2670': 'SandyBridge',
      'Intel Xeon E5-2680 v2': 'IvyBridge-IBRS',
      'Intel Xeon E5-2690 v3': 'Haswell-noTSX-IBRS',
      'Intel Xeon E5-2697 v4': 'Broadwell-IBRS',
      'Intel Xeon Gold 6148': 'Skylake-Server-IBRS',
      'Intel Xeon Gold 6248': 'Cascadelake-Server',
      'AMD Opteron 6272': 'Opteron_G4',
      'AMD Opteron 6376': 'Opteron_G5',
      'AMD EPYC 7601': 'EPYC-IBPB',
      'AMD EPYC 7742': 'EPYC-Rome',
      'AMD EPYC 7763': 'EPYC-Milan',
    });
    expect(hostCpuCatalog['Intel Xeon E5-2670']?.signature).toEqual({ family: 6, model: 45, stepping: 7 });
    expect(hostCpuCatalog['Intel Xeon X5650']?.signature).toEqual({ family: 6, model: 44, stepping: 2 });
  });

  it('drops the broken TSX of early Haswell-EP before naming it', () => {
    const haswell = hostCpuCatalog['Intel Xeon E5-2690 v3']!;
    expect(expandHostCpu(haswell)).not.toContain('hle');
    const fixedStepping = decodeHostCpu({
      vendor: 'Intel',
      signature: { family: 6, model: 63, stepping: 4 },
      features: [...expandHostCpu(haswell), 'hle', 'rtm'],
    });
    expect(fixedStepping.model).toBe('Haswell-IBRS');
  });

  it('prints the <cpu> of virsh capabilities, which parses back to the same host CPU', () => {
    const x5650 = hostCpuCatalog['Intel Xeon X5650']!;
    const xml = capabilitiesCpuXml(x5650);
    expect(xml).toMatch(
      /^<cpu>\n {2}<arch>x86_64<\/arch>\n {2}<model>Westmere<\/model>\n {2}<vendor>Intel<\/vendor>\n {2}<microcode version='19'\/>\n {2}<signature family='6' model='44' stepping='2'\/>\n {2}<topology sockets='1' dies='1' cores='6' threads='2'\/>\n {2}<feature name='vme'\/>\n/,
    );
    expect(xml).toContain("  <pages unit='KiB' size='1048576'/>\n</cpu>\n");
    expect(parseHostCpus(xml)).toEqual([x5650]);
    expect(capabilitiesCpuXml(hostCpuCatalog['Intel Xeon X5570']!)).not.toContain("size='1048576'");
    expect(capabilitiesCpuXml(x5650, { indent: 4 }).startsWith('    <cpu>\n      <arch>')).toBe(true);
  });
});
