import { describe, expect, it } from 'vitest';
import type { DomainCpuInfo } from '../../../src/cluster/parse/domain-cpu.js';
import { parseNovaConf } from '../../../src/cluster/parse/nova-conf.js';
import type { ServerSummary } from '../../../src/cluster/types.js';
import { hostCpuCatalog } from '../../../src/cpu/index.js';
import { auditFleet } from '../../../src/engine/fleet/audit-fleet.js';
import { configDrift, liveFlagDrift } from '../../../src/engine/fleet/config-drift.js';
import { computeFleetBaselines } from '../../../src/engine/fleet/fleet-baseline.js';
import type { HypervisorSurvey } from '../../../src/engine/fleet/survey-hypervisor.js';

const sandyBridge = hostCpuCatalog['Intel Xeon E5-2670']!;
const westmere = hostCpuCatalog['Intel Xeon X5650']!;
const customWestmere = parseNovaConf(
  '[libvirt]\ncpu_mode = custom\ncpu_model = Westmere\n' +
    'live_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_LIVE\n',
);

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
  return {
    baselines,
    surveys,
    servers: [server(dstestUuid, 'dstest'), server(webUuid, 'web01')],
    release: 'icehouse-patched' as const,
  };
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
        kind: 'cpu',
        cpuMode: null,
        cpuModels: [],
        problem: 'cpu_mode is unset (host-model, the kvm default), not custom',
        set: ['[libvirt]', 'cpu_mode = custom', 'cpu_model = Westmere'],
      },
      expect.objectContaining({ host: 'node05', kind: 'live-migration-flag' }),
    ]);
    const fix = verdicts.guests[0]!.fix;
    expect(fix.kind === 'hard-reboot' && fix.note).toMatch(/^fix nova.conf on node05 first/);
  });

  it("answers a host-passthrough guest from its host's nova.conf: a HARD reboot gives it the custom model", () => {
    const passthrough = domain(
      passUuid,
      'instance-0000002c',
      '<cpu mode="host-passthrough" check="none" migratable="on"/>',
    );
    const [guest] = auditFleet(facts([{ domains: [passthrough] }])).guests;
    expect(guest!.fix).toEqual({
      kind: 'hard-reboot',
      command: `nova reboot --hard ${passUuid}`,
      note: expect.stringContaining(
        'nova.conf on node05 says cpu_mode = custom, Westmere: a HARD reboot regenerates the guest CPU from it',
      ),
    });
  });

  it('tells a host-passthrough guest to fix nova.conf first when its host still says host-passthrough', () => {
    const passthrough = domain(
      passUuid,
      'instance-0000002c',
      '<cpu mode="host-passthrough" check="none" migratable="on"/>',
    );
    const conf = parseNovaConf('[libvirt]\ncpu_mode = host-passthrough\n');
    const [guest] = auditFleet(facts([{ domains: [passthrough], novaConf: conf }])).guests;
    expect(guest!.fix.kind).toBe('hard-reboot');
    expect(guest!.fix.note).toMatch(
      /^fix nova.conf on node05 first \(cpu_mode is host-passthrough, not custom; set cpu_mode = custom, cpu_model = Westmere/,
    );
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
    expect(onWestmere!.fix.kind).toBe('hard-reboot');
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
          missingFeatures: ['avx', 'osxsave', 'xsave', 'xsaveopt'],
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

describe('live_migration_flag drift', () => {
  const withoutLive = '[libvirt]\nlive_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER\n';

  it('counts a host whose flag lacks VIR_MIGRATE_LIVE, with the nova.conf line to set', () => {
    const drift = liveFlagDrift('node03', parseNovaConf(withoutLive), 'icehouse-patched');
    expect(drift).toMatchObject({
      host: 'node03',
      kind: 'live-migration-flag',
      set: [
        '[libvirt]',
        'live_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_LIVE',
      ],
    });
    expect(drift?.problem).toContain('pauses the guest for the whole copy');
  });

  it('counts an unset flag on Icehouse (its default has no VIR_MIGRATE_LIVE) but not on Juno or later', () => {
    const unset = parseNovaConf('[libvirt]\ncpu_mode = custom\n');
    expect(liveFlagDrift('node03', unset, 'icehouse')?.problem).toContain('unset (the icehouse default)');
    expect(liveFlagDrift('node03', unset, 'juno')).toBeNull();
    expect(liveFlagDrift('node03', unset, 'kilo-or-later')).toBeNull();
  });

  it('lists the flag drift per host next to the CPU drift in the audit', () => {
    const base = facts([{ novaConf: parseNovaConf(withoutLive) }]);
    const drift = auditFleet(base).drift;
    expect(drift.map((d) => [d.host, d.kind])).toEqual([
      ['node05', 'cpu'],
      ['node05', 'live-migration-flag'],
    ]);
  });
});
