import { describe, expect, it } from 'vitest';
import { parseNovaConf } from '../../../src/cluster/parse/nova-conf.js';
import { fixture } from './fixture.js';

describe('nova.conf', () => {
  it('reads the CPU and live-migration settings, joining continuation lines', () => {
    const conf = parseNovaConf(fixture('nova-conf.ok.conf'));
    expect(conf).toMatchObject({
      cpuMode: 'custom',
      cpuModels: ['Westmere'],
      cpuModelKey: 'cpu_model',
      liveMigrationFlags: ['VIR_MIGRATE_UNDEFINE_SOURCE', 'VIR_MIGRATE_PEER2PEER', 'VIR_MIGRATE_LIVE'],
      liveMigrationBandwidthMiBps: 0,
      liveMigrationDowntimeMs: 500,
      liveMigrationCompletionTimeoutSec: 800,
      liveMigrationPermitPostCopy: false,
      liveMigrationPermitAutoConverge: null,
      maxConcurrentLiveMigrations: 1,
      instancesPath: '/var/lib/nova/instances',
    });
    expect(conf.sections.workarounds?.skip_cpu_compare_on_dest).toBe('true');
    expect(conf.sections.DEFAULT?.debug).toBe('False');
  });

  it("honours Icehouse's deprecated [DEFAULT] libvirt_cpu_* names", () => {
    expect(parseNovaConf(fixture('nova-conf.icehouse-deprecated.conf'))).toMatchObject({
      cpuMode: 'custom',
      cpuModels: ['SandyBridge'],
      cpuModelKey: 'cpu_model',
    });
  });

  it("reads Train's ordered cpu_models list", () => {
    expect(parseNovaConf(fixture('nova-conf.train.conf'))).toMatchObject({
      cpuModels: ['Westmere', 'Nehalem'],
      cpuModelKey: 'cpu_models',
      liveMigrationPermitAutoConverge: true,
    });
  });

  it('reads an empty file as nothing configured', () => {
    expect(parseNovaConf(fixture('nova-conf.empty.conf'))).toMatchObject({
      cpuMode: null,
      cpuModels: [],
      cpuModelKey: null,
      liveMigrationFlags: null,
    });
  });

  it('fails naming the line of a key outside any section', () => {
    expect(() => parseNovaConf(fixture('nova-conf.malformed.conf'))).toThrow(/at line 1/);
  });
});
