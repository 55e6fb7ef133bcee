import { describe, expect, it } from 'vitest';
import type { DomainCpuInfo } from '../../../src/cluster/parse/domain-cpu.js';
import { parseNovaConf } from '../../../src/cluster/parse/nova-conf.js';
import type { ServerSummary } from '../../../src/cluster/types.js';
import { hostCpuCatalog } from '../../../src/cpu/index.js';
import { auditFleet, configDrift } from '../../../src/engine/fleet/audit-fleet.js';
import { computeFleetBaselines } from '../../../src/engine/fleet/fleet-baseline.js';
import type { HypervisorSurvey } from '../../../src/engine/fleet/survey-hypervisor.js';

const sandyBridge = hostCpuCatalog['Intel Xeon E5-2670']!;
const westmere = hostCpuCatalog['Intel Xeon X5650']!;
const customWestmere = parseNovaConf('[libvirt]\ncpu_mode = custom\ncpu_model = Westmere\n');

function domain(uuid: string, name: string, cpuXml: string | null): DomainCpuInfo {
  return { name, uuid, cpuXml };
}

function server(uuid: string, name: string, status = 'ACTIVE'): ServerSummary {
  return { uuid, name, status, taskState: null, powerState: 'Running', networks: '' };
}

const dstestUuid = '948932fe-1f3f-4773-923a-7cf46dc56547';
const webUuid = '11111111-2222-4333-8444-555555555555';
const passUuid = '22222222-3333-4444-8555-666666666666';
const liveSandyBridge = `<cpu mode="custom" match="exact" check="full"><model fallback="forbid">SandyBridge</model><vendor>Intel</vendor>${sandyBridge.features.map((f) => `<feature policy="require" name="${f}"/>`).join('')}</cpu>`;

function facts(overrides: Partial<HypervisorSurvey>[] = []) {
  const surveys: HypervisorSurvey[] = [
    {
      host: 'node05',
      cpu: sandyBridge,
      novaConf: customWestmere,
      novaConfError: null,
      domains: [
        domain(dstestUuid, 'instance-0000002a', liveSandyBridge),
        domain(
          webUuid,
          'instance-0000002b',
          '<cpu mode="custom" match="exact"><model>Westmere</model></cpu>',
        ),
      ],
    },
    { host: 'node10', cpu: westmere, novaConf: customWestmere, novaConfError: null, domains: [] },
  ].map((survey, i) => ({ ...survey, ...overrides[i] }));
  const baselines = computeFleetBaselines(
    surveys.map(({ host, cpu }) => ({ host, cpu })),
    'icehouse-patched',
  );
  return { baselines, surveys, servers: [server(dstestUuid, 'dstest'), server(webUuid, 'web01')] };
}

describe('fleet audit', () => {
  it('finds the guest booted before the baseline change and prescribes a hard reboot', () => {
    const verdicts = auditFleet(facts());
    expect(verdicts.guestsChecked).toBe(2);
    expect(verdicts.drift).toEqual([]);
    expect(verdicts.guests).toEqual([
      {
        uuid: dstestUuid,
        name: 'dstest',
        host: 'node05',
        domain: 'instance-0000002a',
        cpuMode: 'custom',
        cpuModel: 'SandyBridge',
        incompatibleWith: [
          expect.objectContaining({
            model: 'Westmere',
            hosts: ['node10'],
            missingFeatures: expect.arrayContaining(['avx']),
          }),
        ],
        fix: { kind: 'hard-reboot', command: `nova reboot --hard ${dstestUuid}`, note: null },
      },
    ]);
  });

  it('tells to fix nova.conf first when the guest host drifts, or the reboot brings the old CPU back', () => {
    const verdicts = auditFleet(facts([{ novaConf: parseNovaConf('[libvirt]\nvirt_type = kvm\n') }]));
    expect(verdicts.drift).toEqual([
      {
        host: 'node05',
        cpuMode: null,
        cpuModels: [],
        problem: 'cpu_mode is unset (host-model, the kvm default), not custom',
      },
    ]);
    const fix = verdicts.guests[0]!.fix;
    expect(fix.kind === 'hard-reboot' && fix.note).toMatch(/^fix nova.conf on node05 first/);
  });

  it('says no reboot helps a host-passthrough guest', () => {
    const passthrough = domain(
      passUuid,
      'instance-0000002c',
      '<cpu mode="host-passthrough" check="none" migratable="on"/>',
    );
    const verdicts = auditFleet(facts([{ domains: [passthrough] }]));
    expect(verdicts.guests).toEqual([
      expect.objectContaining({ name: 'instance-0000002c', fix: expect.objectContaining({ kind: 'none' }) }),
    ]);
  });

  it('holds a host-passthrough guest runnable only on hosts with the CPU of the host it runs on', () => {
    const passthrough = domain(
      passUuid,
      'instance-0000002c',
      '<cpu mode="host-passthrough" check="none" migratable="on"/>',
    );
    const [onSandyBridge] = auditFleet(facts([{ domains: [passthrough] }])).guests;
    expect(onSandyBridge!.incompatibleWith).toEqual([
      {
        model: 'Westmere',
        hosts: ['node10'],
        missingFeatures: expect.arrayContaining(['avx', 'xsave']),
        reason: expect.stringMatching(
          /^node10 \(Westmere\) lacks .* compared with node05 \(SandyBridge\), whose exact CPU the guest passes through$/,
        ),
      },
    ]);
    const [onWestmere] = auditFleet(facts([{ domains: [] }, { domains: [passthrough] }])).guests;
    expect(onWestmere!.host).toBe('node10');
    expect(onWestmere!.incompatibleWith).toEqual([
      expect.objectContaining({ model: 'SandyBridge', hosts: ['node05'], missingFeatures: [] }),
    ]);
    expect(onWestmere!.incompatibleWith[0]!.reason).toMatch(/^node05 \(SandyBridge\) adds avx/);
    expect(onWestmere!.fix.kind).toBe('none');
  });

  it('judges a live XML still in host-model form (older libvirt) as the CPU of the host it runs on', () => {
    const hostModel = domain(
      passUuid,
      'instance-0000002d',
      '<cpu mode="host-model" check="partial"><model fallback="allow"/></cpu>',
    );
    const verdicts = auditFleet(facts([{ domains: [] }, { domains: [hostModel] }]));
    expect(verdicts.guests).toEqual([]);
    const [onSandyBridge] = auditFleet(facts([{ domains: [hostModel] }])).guests;
    expect(onSandyBridge).toMatchObject({
      cpuMode: 'host-model',
      incompatibleWith: [
        {
          model: 'Westmere',
          hosts: ['node10'],
          missingFeatures: ['avx', 'osxsave', 'tsc-deadline', 'x2apic', 'xsave', 'xsaveopt'],
        },
      ],
      fix: { kind: 'hard-reboot', command: `nova reboot --hard ${passUuid}` },
    });
  });

  it('lists active servers that no reachable hypervisor runs as unchecked', () => {
    const base = facts([{ domains: [] }]);
    const verdicts = auditFleet({ ...base, servers: [...base.servers, server(passUuid, 'off', 'SHUTOFF')] });
    expect(verdicts.unchecked.map((s) => s.name)).toEqual(['dstest', 'web01']);
  });
});

describe('nova.conf drift', () => {
  it.each([
    ['[libvirt]\ncpu_mode = custom\ncpu_model = Westmere\n', null],
    ['[libvirt]\ncpu_mode = custom\ncpu_model = SandyBridge\n', 'cpu_model is SandyBridge, not Westmere'],
    ['[libvirt]\ncpu_mode = host-passthrough\n', 'cpu_mode is host-passthrough, not custom'],
    ['[libvirt]\ncpu_mode = custom\ncpu_models = Westmere,Nehalem\n', null],
    ['[libvirt]\ncpu_mode = custom\n', 'cpu_model is unset, not Westmere'],
  ])('%j → %s', (conf, problem) => {
    expect(configDrift('node01', parseNovaConf(conf), 'Westmere')?.problem ?? null).toBe(problem);
  });
});
