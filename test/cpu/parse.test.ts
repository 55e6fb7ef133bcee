import { describe, expect, it } from 'vitest';
import {
  capabilitiesCpuXml,
  hostCpuCatalog,
  parseGuestCpu,
  parseGuestDomain,
  parseHostCpus,
} from '../../src/cpu/index.js';
import { livemigErrorOf } from '../support/livemig-error.js';

const x5650 = hostCpuCatalog['Intel Xeon X5650']!;
const e52670 = hostCpuCatalog['Intel Xeon E5-2670']!;

function domain(cpu: string): string {
  return `<domain type='kvm' id='7'>\n  <name>instance-0000002a</name>\n  <memory unit='KiB'>4194304</memory>\n${cpu}\n  <devices/>\n</domain>\n`;
}

describe('parseHostCpus', () => {
  it('reads <cpu> elements one after another and whole capabilities documents, in order', () => {
    const capabilities = `<?xml version="1.0"?>\n<capabilities>\n  <host>\n    <uuid>a</uuid>\n${capabilitiesCpuXml(x5650, { indent: 4 })}  </host>\n</capabilities>\n`;
    const cpus = parseHostCpus(capabilitiesCpuXml(e52670) + capabilities.replace(/^<\?xml[^>]*>\n/, ''));
    expect(cpus.map((cpu) => cpu.model)).toEqual(['SandyBridge', 'Westmere']);
    expect(cpus[0]).toEqual(e52670);
    expect(cpus[1]?.signature).toEqual({ family: 6, model: 44, stepping: 2 });
  });

  it('accepts the output of old libvirt without vendor, signature or microcode', () => {
    const [cpu] = parseHostCpus("<cpu><arch>x86_64</arch><model>Westmere</model><feature name='vme'/></cpu>");
    expect(cpu).toEqual({ arch: 'x86_64', model: 'Westmere', features: ['vme'] });
  });

  it('rejects malformed XML naming the file and the problem', () => {
    const error = livemigErrorOf(() => parseHostCpus('<cpu><model>Westmere</cpu>', 'node10.xml'));
    expect(error.code).toBe('parse_failed');
    expect(error.message).toMatch(/^node10\.xml is not well-formed XML: .*model/);
  });

  it('rejects a file without any CPU and a CPU without a model', () => {
    expect(livemigErrorOf(() => parseHostCpus('<domain/>', 'f.xml')).message).toContain(
      'f.xml contains no <cpu> element',
    );
    expect(livemigErrorOf(() => parseHostCpus('<cpu><arch>x86_64</arch></cpu>', 'f.xml')).message).toContain(
      'has no <model>',
    );
  });
});

describe('parseGuestCpu', () => {
  it('reads a custom CPU with model and feature policies', () => {
    const cpu = parseGuestCpu(
      domain(
        `  <cpu mode='custom' match='exact' check='partial'>\n    <model fallback='forbid'>Westmere</model>\n    <vendor>Intel</vendor>\n    <feature policy='require' name='vme'/>\n    <feature policy='disable' name='aes'/>\n    <feature policy='forbid' name='avx'/>\n    <feature name='x2apic'/>\n  </cpu>`,
      ),
    );
    expect(cpu).toEqual({
      mode: 'custom',
      match: 'exact',
      check: 'partial',
      model: 'Westmere',
      fallback: 'forbid',
      vendor: 'Intel',
      features: [
        { name: 'vme', policy: 'require' },
        { name: 'aes', policy: 'disable' },
        { name: 'avx', policy: 'forbid' },
        { name: 'x2apic', policy: 'require' },
      ],
      live: false,
    });
  });

  it('reads the optional and force feature policies', () => {
    const cpu = parseGuestCpu(
      domain(
        "  <cpu mode='custom' match='minimum'>\n    <model>Westmere</model>\n    <feature policy='optional' name='avx'/>\n    <feature policy='force' name='x2apic'/>\n  </cpu>",
      ),
    );
    expect(cpu).toMatchObject({
      match: 'minimum',
      features: [
        { name: 'avx', policy: 'optional' },
        { name: 'x2apic', policy: 'force' },
      ],
    });
  });

  it("reads nova's Icehouse custom CPU (no match attribute) as an exact match", () => {
    const cpu = parseGuestCpu(
      domain(`  <cpu mode='custom' match='exact'>\n    <model>Westmere</model>\n  </cpu>`),
    );
    expect(cpu).toMatchObject({
      mode: 'custom',
      match: 'exact',
      model: 'Westmere',
      fallback: 'allow',
      live: false,
    });
  });

  it('reads the persistent host-model form, which has no model name yet', () => {
    const cpu = parseGuestCpu(
      domain(`  <cpu mode='host-model' check='partial'>\n    <model fallback='allow'/>\n  </cpu>`),
    );
    expect(cpu).toEqual({
      mode: 'host-model',
      check: 'partial',
      fallback: 'allow',
      features: [],
      live: false,
    });
  });

  it('reads the live expanded form of a host-model guest as a live custom CPU', () => {
    const cpu = parseGuestCpu(
      domain(
        `  <cpu mode='custom' match='exact' check='full'>\n    <model fallback='forbid'>SandyBridge</model>\n    <vendor>Intel</vendor>\n    <feature policy='require' name='vme'/>\n    <feature policy='require' name='pdpe1gb'/>\n  </cpu>`,
      ),
    );
    expect(cpu).toMatchObject({ mode: 'custom', model: 'SandyBridge', check: 'full', live: true });
    expect(
      parseGuestCpu(domain("  <cpu mode='custom'><model>Westmere</model></cpu>"), 'x', { live: true }).live,
    ).toBe(true);
  });

  it('reads host-passthrough', () => {
    const cpu = parseGuestCpu(domain(`  <cpu mode='host-passthrough' check='none' migratable='on'/>`));
    expect(cpu).toEqual({ mode: 'host-passthrough', check: 'none', features: [], live: false });
  });

  it('reads a domain without <cpu>, or with only a topology, as mode none', () => {
    expect(parseGuestCpu(domain(''))).toEqual({ mode: 'none', features: [], live: false });
    expect(parseGuestCpu(domain("  <cpu><topology sockets='2' cores='1' threads='1'/></cpu>")).mode).toBe(
      'none',
    );
  });

  it("returns the domain's name with its CPU", () => {
    expect(parseGuestDomain(domain('')).name).toBe('instance-0000002a');
  });

  it('rejects malformed XML, unknown modes and unknown policies clearly', () => {
    expect(livemigErrorOf(() => parseGuestCpu('<domain><name>x</domain>', 'dstest.xml')).message).toMatch(
      /^dstest\.xml is not well-formed XML/,
    );
    expect(livemigErrorOf(() => parseGuestCpu(domain("<cpu mode='weird'/>"), 'd.xml')).message).toBe(
      "d.xml: CPU mode 'weird' is not one of custom, host-model, host-passthrough, maximum",
    );
    expect(
      livemigErrorOf(() =>
        parseGuestCpu(domain("<cpu><model>Westmere</model><feature policy='maybe' name='vme'/></cpu>")),
      ).code,
    ).toBe('parse_failed');
    expect(livemigErrorOf(() => parseGuestCpu('<network/>', 'n.xml')).message).toContain(
      'neither a <domain> document nor a <cpu>',
    );
  });
});
