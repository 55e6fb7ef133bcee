/**
 * What each nova release does differently (reference §2), as data the world consults.
 */
import type { NovaRelease } from '../../config/schema.js';

export interface ReleaseRules {
  /** Pre-check compares CPUs: the source HOST's (bug 1082414), the guest's, or none (patched). */
  cpuCheck: 'host' | 'guest' | 'none';
  /** Icehouse's shared-storage test file check (refuses RBD-only setups). */
  sharedStorageCheck: boolean;
  /** Nova creates the destination instance dir itself (and fails if it exists). */
  createsDestDir: boolean;
  /** Nova removes the source instance dir after success. */
  removesSourceDir: boolean;
  /** live_migration_flag includes VIR_MIGRATE_LIVE (else the guest is paused for the copy). */
  liveFlag: boolean;
  /** server-migration-* and live-migration-abort/force-complete exist in the CLI. */
  migrationApi: boolean;
  /** Nova ramps the downtime limit from 50 ms to 500 ms (else QEMU's default 300 ms). */
  downtimeRamp: boolean;
  /** Config drive allowed on a non-shared instance dir (config_drive_format=vfat). */
  configDriveVfat: boolean;
  /** novaclient version string shown by the CLI. */
  novaclientVersion: string;
}

const ICEHOUSE: ReleaseRules = {
  cpuCheck: 'host',
  sharedStorageCheck: true,
  createsDestDir: false,
  removesSourceDir: false,
  liveFlag: false,
  migrationApi: false,
  downtimeRamp: false,
  configDriveVfat: false,
  novaclientVersion: '2.17.0',
};

const RULES: Record<NovaRelease, ReleaseRules> = {
  icehouse: ICEHOUSE,
  // The seed's Icehouse: the host-CPU comparison and the shared-storage test file check are
  // patched out (reference §1 items 4-5); everything else is stock Icehouse.
  'icehouse-patched': { ...ICEHOUSE, cpuCheck: 'none', sharedStorageCheck: false },
  juno: {
    cpuCheck: 'host',
    sharedStorageCheck: false,
    createsDestDir: true,
    removesSourceDir: true,
    liveFlag: true,
    migrationApi: false,
    downtimeRamp: false,
    configDriveVfat: false,
    novaclientVersion: '2.20.0',
  },
  'kilo-or-later': {
    cpuCheck: 'guest',
    sharedStorageCheck: false,
    createsDestDir: true,
    removesSourceDir: true,
    liveFlag: true,
    migrationApi: true,
    downtimeRamp: true,
    configDriveVfat: true,
    novaclientVersion: '9.1.1',
  },
};

/** The rules of one release. */
export function releaseRules(release: NovaRelease): ReleaseRules {
  return RULES[release];
}
