import { describe, expect, it } from 'vitest';
import { createHostCpuReader } from '../../../src/cluster/parse/host-cpu-reader.js';
import { capabilitiesCpuXml, hostCpuCatalog, parseHostCpu } from '../../../src/cpu/index.js';

const westmere = hostCpuCatalog['Intel Xeon X5650']!;

/** A capabilities document shaped like libvirt's: the host CPU first, then NUMA cells with more <cpu> elements. */
function capabilities(uuid: string): string {
  return `<capabilities>\n  <host>\n    <uuid>${uuid}</uuid>\n${capabilitiesCpuXml(westmere, { indent: 4 })}    <topology>\n      <cells num='1'>\n        <cell id='0'>\n          <cpus num='2'>\n            <cpu id='0' socket_id='0' core_id='0' siblings='0'/>\n            <cpu id='1' socket_id='0' core_id='1' siblings='1'/>\n          </cpus>\n        </cell>\n      </cells>\n    </topology>\n  </host>\n  <guest><os_type>hvm</os_type></guest>\n</capabilities>\n`;
}

describe('reading host CPUs from capabilities', () => {
  it('gives the same CPU as parsing the whole document', () => {
    const xml = capabilities('e819210d-b961-45b1-b165-ba463965eabb');
    expect(createHostCpuReader()(xml, 'node06')).toEqual(parseHostCpu(xml));
  });

  it('parses each distinct host CPU once across hosts', () => {
    const read = createHostCpuReader();
    const first = read(capabilities('00000000-0000-4000-8000-000000000001'), 'node06');
    expect(read(capabilities('00000000-0000-4000-8000-000000000002'), 'node07')).toBe(first);
  });

  it('names the host when the document has no CPU', () => {
    expect(() =>
      createHostCpuReader()('<capabilities><host><uuid>x</uuid></host></capabilities>', 'node09'),
    ).toThrow(/node09/);
  });
});
