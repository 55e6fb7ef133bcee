/**
 * nova.conf drift (pure): a compute node whose nova.conf would give guests another CPU than the
 * baseline, or would pause them for the whole copy because live_migration_flag lacks
 * VIR_MIGRATE_LIVE.
 */
import type { NovaConf } from '../../cluster/types.js';
import type { NovaRelease } from '../../config/schema.js';
import { migratesLive } from '../preflight/prediction.js';

export interface ConfigDrift {
  host: string;
  /** What drifted: the guest CPU settings, or live_migration_flag. */
  kind: 'cpu' | 'live-migration-flag';
  cpuMode: string | null;
  cpuModels: string[];
  /** What is wrong, in words (e.g. `cpu_mode is unset (host-model)`). */
  problem: string;
  /** The nova.conf lines that fix it (restart nova-compute afterwards). */
  set: string[];
}

/** Flags the OpenStack Admin Guide gives for "true live migration" (Icehouse to Mitaka). */
export const trueLiveMigrationFlags = 'VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_LIVE';

/** A host whose nova.conf would give new or hard-rebooted guests a CPU other than the baseline. */
export function configDrift(host: string, conf: NovaConf, baselineModel: string): ConfigDrift | null {
  const base = {
    host,
    kind: 'cpu' as const,
    cpuMode: conf.cpuMode,
    cpuModels: conf.cpuModels,
    set: ['[libvirt]', 'cpu_mode = custom', `${conf.cpuModelKey ?? 'cpu_model'} = ${baselineModel}`],
  };
  if (conf.cpuMode !== 'custom') {
    const mode = conf.cpuMode ?? 'unset (host-model, the kvm default)';
    return { ...base, problem: `cpu_mode is ${mode}, not custom` };
  }
  if (conf.cpuModels[0] !== baselineModel) {
    const model = conf.cpuModels[0] ?? 'unset';
    return { ...base, problem: `${conf.cpuModelKey ?? 'cpu_model'} is ${model}, not ${baselineModel}` };
  }
  return null;
}

/**
 * A host whose live_migration_flag (as set, or the release's default when unset) lacks
 * VIR_MIGRATE_LIVE: libvirt then pauses the guest for the whole copy. kilo-or-later without the
 * option set is no drift: Juno's default has the flag, and Newton removed the option.
 */
export function liveFlagDrift(host: string, conf: NovaConf, release: NovaRelease): ConfigDrift | null {
  if (migratesLive(release, conf.liveMigrationFlags)) return null;
  const shown =
    conf.liveMigrationFlags === null ? `unset (the ${release} default)` : conf.liveMigrationFlags.join(', ');
  const line = `live_migration_flag = ${trueLiveMigrationFlags}`;
  return {
    host,
    kind: 'live-migration-flag',
    cpuMode: conf.cpuMode,
    cpuModels: conf.cpuModels,
    problem: `live_migration_flag is ${shown}, without VIR_MIGRATE_LIVE: every migration pauses the guest for the whole copy; set [libvirt] ${line}`,
    set: ['[libvirt]', line],
  };
}
