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
  /** The libvirt its hypervisors run (libvirt-version.ts: what virsh prints and accepts). */
  libvirtVersion: string;
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
  // Ubuntu 14.04 (trusty), the Icehouse platform.
  libvirtVersion: '1.2.2',
};

const RULES: Record<NovaRelease, ReleaseRules> = {
  icehouse: ICEHOUSE,
  // The seed's Icehouse: the host-CPU comparison and the shared-storage test file check are
  // patched out (reference §1 items 4-5), and "true live migration" is enabled as the OpenStack
  // Admin Guide describes (VIR_MIGRATE_LIVE added to live_migration_flag): the seed's first step.
  // Its hypervisors run a newer libvirt than stock trusty, like the held-out cluster's: domjobinfo
  // prints the dirty rate and iteration, but no page size (libvirt 1.3.1 to 3.8).
  'icehouse-patched': {
    ...ICEHOUSE,
    cpuCheck: 'none',
    sharedStorageCheck: false,
    liveFlag: true,
    libvirtVersion: '1.3.1',
  },
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
    // Ubuntu 14.10 / the Juno cloud archive.
    libvirtVersion: '1.2.8',
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
    // The "or later" end: a current cloud (Ubuntu 22.04), whose libvirt measures dirty rates.
    libvirtVersion: '8.0.0',
  },
};

/** The rules of one release. */
export function releaseRules(release: NovaRelease): ReleaseRules {
  return RULES[release];
}
