import { describe, expect, it } from 'vitest';
import { parseDomainXml } from '../../../src/cluster/parse/domain-xml.js';
import { fixture } from './fixture.js';

describe('virsh dumpxml', () => {
  it('reads a running RBD-backed domain and hands on its expanded <cpu> as XML', () => {
    const domain = parseDomainXml(fixture('dumpxml.rbd-live.xml'));
    expect(domain).toMatchObject({
      name: 'instance-0000002a',
      uuid: 'a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42',
      memoryBytes: 8 * 1024 ** 3,
      currentMemoryBytes: 8 * 1024 ** 3,
      vcpus: 4,
      cpuMode: 'custom',
      disks: [
        {
          kind: 'rbd',
          device: 'disk',
          targetDev: 'vda',
          name: 'volumes/volume-0f3e2d1c-6b5a-4f3e-9d8c-7b6a5f4e3d2c',
        },
      ],
    });
    expect(domain.cpuXml).toMatch(/^<cpu mode="custom" match="exact" check="full">/);
    expect(domain.cpuXml).toContain('<model fallback="forbid">SandyBridge</model>');
    expect(domain.cpuXml).toContain('<feature policy="require" name="tsc-deadline"/>');
    expect(domain.cpuXml?.match(/<feature /g)).toHaveLength(5);
  });

  it('tells local file disks, the config drive and block devices apart', () => {
    const domain = parseDomainXml(fixture('dumpxml.file-and-config-drive.xml'));
    const dir = '/var/lib/nova/instances/5c0b8a9e-7d21-4f3a-8b6e-0e4f2a9c1d77';
    expect(domain.disks).toEqual([
      { kind: 'file', device: 'disk', targetDev: 'vda', path: `${dir}/disk` },
      { kind: 'config-drive', device: 'cdrom', targetDev: 'hdd', path: `${dir}/disk.config` },
      expect.objectContaining({ kind: 'block', targetDev: 'vdb' }),
    ]);
    expect(domain.memoryBytes).toBe(2048 * 1024 ** 2);
    expect(domain.cpuMode).toBe('host-model');
  });

  it('reads host-passthrough and the default KiB unit', () => {
    const domain = parseDomainXml(fixture('dumpxml.host-passthrough.xml'));
    expect(domain.cpuMode).toBe('host-passthrough');
    expect(domain.cpuXml).toBe('<cpu mode="host-passthrough" check="none" migratable="on"/>');
    expect(domain.memoryBytes).toBe(1024 ** 3);
    expect(domain.disks).toEqual([]);
  });

  it('gives a null cpu for a domain without <cpu>', () => {
    const domain = parseDomainXml(fixture('dumpxml.no-cpu.xml'));
    expect(domain).toMatchObject({ cpuXml: null, cpuMode: null, memoryBytes: 1024 ** 3 });
  });

  it('fails on XML that is not well-formed', () => {
    expect(() => parseDomainXml(fixture('dumpxml.malformed.xml'))).toThrow(/well-formed domain XML/);
  });

  it('fails naming <memory> when it is missing', () => {
    expect(() => parseDomainXml(fixture('dumpxml.missing-memory.xml'))).toThrow(/<memory>/);
  });

  it('fails when the document is not a domain', () => {
    expect(() => parseDomainXml('<capabilities><host/></capabilities>')).toThrow(/<domain> root/);
  });
});
