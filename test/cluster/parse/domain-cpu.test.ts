import { describe, expect, it } from 'vitest';
import { parseDomainCpu } from '../../../src/cluster/parse/domain-cpu.js';
import { parseDomainXml } from '../../../src/cluster/parse/domain-xml.js';
import { parseGuestCpu } from '../../../src/cpu/index.js';
import { fixture } from './fixture.js';

describe('virsh dumpxml, audit fast path', () => {
  it.each(['dumpxml.rbd-live.xml', 'dumpxml.file-and-config-drive.xml', 'dumpxml.host-passthrough.xml'])(
    'gives the same name, uuid and guest CPU as the full parser for %s',
    (name) => {
      const text = fixture(name);
      const fast = parseDomainCpu(text);
      const full = parseDomainXml(text);
      expect([fast.name, fast.uuid]).toEqual([full.name, full.uuid]);
      expect(parseGuestCpu(fast.cpuXml!)).toEqual(parseGuestCpu(full.cpuXml!));
    },
  );

  it('keeps <cputune> out of the CPU element', () => {
    expect(parseDomainCpu(fixture('dumpxml.rbd-live.xml')).cpuXml).toMatch(
      /^<cpu mode='custom' match='exact' check='full'>/,
    );
  });

  it('gives a null CPU for a domain without <cpu>', () => {
    expect(parseDomainCpu(fixture('dumpxml.no-cpu.xml')).cpuXml).toBeNull();
  });

  it('fails on output that is not a domain, or a domain without a UUID', () => {
    expect(() => parseDomainCpu("error: failed to get domain 'instance-0000002a'")).toThrow(
      /a <domain> document/,
    );
    expect(() => parseDomainCpu('<domain><name>instance-0000002a</name></domain>')).toThrow(/UUID in <uuid>/);
  });
});
