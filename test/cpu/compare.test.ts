import { describe, expect, it } from 'vitest';
import {
  compareCpu,
  expandHostCpu,
  type GuestCpu,
  type HostCpu,
  hostCpuCatalog,
  parseGuestCpu,
} from '../../src/cpu/index.js';
import { LivemigError } from '../../src/errors.js';

const node05 = hostCpuCatalog['Intel Xeon E5-2670']!; // SandyBridge
const node10 = hostCpuCatalog['Intel Xeon X5650']!; // Westmere
const epyc = hostCpuCatalog['AMD EPYC 7601']!;
const names = { guest: 'dstest', host: 'node10', bootHost: 'node05' };

function custom(model: string, features: string[] = []): GuestCpu {
  const lines = features.map((f) => {
    const [policy, name] = f.split(':');
    return `<feature policy='${policy}' name='${name}'/>`;
  });
  return parseGuestCpu(
    `<cpu mode='custom' match='exact'><model>${model}</model><vendor>Intel</vendor>${lines.join('')}</cpu>`,
  );
}

/** What `virsh dumpxml` shows for dstest: booted host-model on node05, so its live CPU is node05's. */
const dstestLive = parseGuestCpu(
  `<domain><name>dstest</name><cpu mode='custom' match='exact' check='full'><model fallback='forbid'>SandyBridge</model><vendor>Intel</vendor>${node05.features
    .map((name) => `<feature policy='require' name='${name}'/>`)
    .join('')}</cpu></domain>`,
);

/** The live XML of a guest that booted host-model on a host with this CPU. */
function liveCpuOf(host: HostCpu): GuestCpu {
  const features = host.features.map((name) => `<feature policy='require' name='${name}'/>`).join('');
  return parseGuestCpu(
    `<cpu mode='custom' match='exact' check='full'><model fallback='forbid'>${host.model}</model><vendor>${host.vendor}</vendor>${features}</cpu>`,
  );
}

describe('compareCpu', () => {
  it('refuses a SandyBridge guest on a Westmere host naming avx, xsave, ...', () => {
    const verdict = compareCpu(dstestLive, node10, names);
    expect(verdict.compatible).toBe(false);
    expect(verdict.missingFeatures).toEqual([
      'avx',
      'osxsave',
      'tsc-deadline',
      'x2apic',
      'xsave',
      'xsaveopt',
    ]);
    expect(verdict.reason).toBe(
      "node10 (Westmere) lacks avx, osxsave, tsc-deadline, x2apic, xsave, xsaveopt required by dstest's SandyBridge CPU",
    );
  });

  it('names every missing feature of a much newer guest CPU, and shortens only the sentence', () => {
    const skylake = hostCpuCatalog['Intel Xeon Gold 6148']!;
    const verdict = compareCpu(liveCpuOf(skylake), node10, { guest: 'db01', host: 'node10' });
    const hostHas = new Set(expandHostCpu(node10));
    const expected = expandHostCpu(skylake).filter((name) => !hostHas.has(name));
    expect(expected.length).toBeGreaterThan(20);
    expect(verdict.compatible).toBe(false);
    expect(verdict.missingFeatures).toEqual(expected);
    expect(verdict.reason).toBe(
      `node10 (Westmere) lacks ${expected.slice(0, 8).join(', ')} and ${expected.length - 8} more required by db01's Skylake-Server-IBRS CPU`,
    );
  });

  it('does not require optional or forced features from the destination', () => {
    const sandy = custom('SandyBridge', ['force:avx', 'optional:xsave']);
    expect(compareCpu(sandy, node10, names).missingFeatures).toEqual(['tsc-deadline', 'x2apic']);
    expect(compareCpu(custom('Westmere', ['optional:avx']), node10, names).compatible).toBe(true);
    expect(compareCpu(custom('Westmere', ['force:avx']), node10, names).compatible).toBe(true);
    expect(compareCpu(custom('Westmere', ['require:avx']), node10, names).missingFeatures).toEqual(['avx']);
  });

  it('compares with the domain capabilities on request: KVM emulates x2apic and tsc-deadline, not avx or xsave', () => {
    const sandy = custom('SandyBridge', ['force:avx', 'optional:xsave']);
    // virsh cpu-compare (the host CPU alone) reports them missing; hypervisor-cpu-compare does not.
    expect(compareCpu(sandy, node10, names).missingFeatures).toEqual(['tsc-deadline', 'x2apic']);
    expect(compareCpu(sandy, node10, names, { against: 'domain-capabilities' }).compatible).toBe(true);
    const verdict = compareCpu(dstestLive, node10, names, { against: 'domain-capabilities' });
    expect(verdict.missingFeatures).toEqual(['avx', 'osxsave', 'xsave', 'xsaveopt']);
  });

  it('accepts a Westmere guest on both seed hosts', () => {
    for (const host of [node05, node10]) {
      const verdict = compareCpu(custom('Westmere'), host, { guest: 'web1', host: 'nodeX' });
      expect(verdict).toMatchObject({ compatible: true, missingFeatures: [], forbiddenFeatures: [] });
      expect(verdict.reason).toBe(
        `nodeX (${host.model}) provides every feature web1's Westmere CPU requires`,
      );
    }
  });

  it('lets disable policies remove what the destination lacks', () => {
    const trimmed = custom('SandyBridge', [
      'disable:avx',
      'disable:xsave',
      'disable:tsc-deadline',
      'disable:x2apic',
    ]);
    expect(compareCpu(trimmed, node10, names).compatible).toBe(true);
    const stillNeedsAvx = custom('SandyBridge', ['disable:xsave', 'disable:tsc-deadline', 'disable:x2apic']);
    expect(compareCpu(stillNeedsAvx, node10, names).missingFeatures).toEqual(['avx']);
  });

  it('refuses a host that provides a forbidden feature, and says so', () => {
    const guest = custom('Westmere', ['forbid:x2apic']);
    expect(compareCpu(guest, node10, names).compatible).toBe(true);
    const verdict = compareCpu(guest, node05, { ...names, host: 'node05' });
    expect(verdict).toMatchObject({ compatible: false, missingFeatures: [], forbiddenFeatures: ['x2apic'] });
    expect(verdict.reason).toBe("node05 (SandyBridge) provides x2apic which dstest's Westmere CPU forbids");
  });

  it('compares a persistent host-model guest as the CPU of the host it booted on', () => {
    const hostModel = parseGuestCpu("<cpu mode='host-model' check='partial'><model fallback='allow'/></cpu>");
    const verdict = compareCpu(hostModel, node10, names, { bootHost: node05 });
    expect(verdict.compatible).toBe(false);
    expect(verdict.missingFeatures).toEqual(compareCpu(dstestLive, node10, names).missingFeatures);
    expect(verdict.notes[0]).toContain('compared as the CPU of node05 (SandyBridge)');
    const unknownBoot = compareCpu(hostModel, node10, names);
    expect(unknownBoot.compatible).toBe(false);
    expect(unknownBoot.reason).toContain('compare the live domain XML or pass the boot host CPU');
  });

  it('allows host-passthrough only onto an identical CPU while it runs so', () => {
    const passthrough = parseGuestCpu("<cpu mode='host-passthrough' check='none' migratable='on'/>");
    const same = compareCpu(passthrough, { ...node05 }, { ...names, host: 'node04' }, { bootHost: node05 });
    expect(same.compatible).toBe(true);
    expect(same.notes[0]).toContain('while it runs so, the guest can only move between identical CPUs');
    expect(same.notes[0]).not.toContain('never');
    const older = compareCpu(passthrough, node10, names, { bootHost: node05 });
    expect(older.compatible).toBe(false);
    expect(older.missingFeatures).toContain('avx');
    expect(older.reason).toMatch(/^node10 \(Westmere\) lacks .* compared with node05 \(SandyBridge\)/);
    const newerMicrocode = compareCpu(passthrough, { ...node05, microcode: '1837' }, names, {
      bootHost: node05,
    });
    expect(newerMicrocode.compatible).toBe(false);
    expect(compareCpu(passthrough, node05, names).reason).toContain(
      'cannot verify without the CPU of the host it booted on',
    );
  });

  it("accepts a guest without a CPU model: it runs QEMU's default CPU", () => {
    const verdict = compareCpu(parseGuestCpu('<domain><name>old</name></domain>'), node10, names);
    expect(verdict.compatible).toBe(true);
    expect(verdict.notes[0]).toContain("QEMU's default CPU model");
  });

  it('refuses an Intel guest CPU on an AMD host', () => {
    const verdict = compareCpu(custom('Westmere'), epyc, { guest: 'dstest', host: 'amd01' });
    expect(verdict.compatible).toBe(false);
    expect(verdict.reason).toBe("amd01 (EPYC-IBPB) is AMD, but dstest's Westmere CPU requires vendor Intel");
  });

  it('still judges a host whose newer libvirt reports flags libvirt 9.0 cannot name', () => {
    const newer = { ...node10, features: [...node10.features, 'gds-no', 'sbpb'] };
    expect(compareCpu(custom('Westmere'), newer).compatible).toBe(true);
    expect(compareCpu(dstestLive, newer, names).missingFeatures).toContain('avx');
  });

  it('treats unknown model or feature names in the guest as bad input', () => {
    expect(() => compareCpu(custom('Pentium9000'), node10)).toThrow(LivemigError);
    expect(() => compareCpu(custom('Westmere', ['require:warp-drive']), node10)).toThrow(
      /unknown CPU feature 'warp-drive'/,
    );
  });
});
