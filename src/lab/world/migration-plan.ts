/**
 * Turns a VM and its two hosts into pre-copy parameters: link rate, dirty rate with seeded noise,
 * nova's downtime limit and completion timeout for the release.
 */
import { GIB, MIB } from './bytes.js';
import { findHost, type WorldMigration, type WorldState, type WorldVm } from './model.js';
import type { CopyParams } from './physics.js';
import { releaseRules } from './release.js';
import { deriveRng } from './rng.js';

/** QEMU's default maximum downtime, used when nova does not set one (before Liberty). */
const QEMU_DEFAULT_DOWNTIME_MS = 300;
/** nova's live_migration_downtime / _steps / _delay defaults. */
const NOVA_DOWNTIME_MS = 500;
const NOVA_DOWNTIME_STEPS = 10;
const NOVA_DOWNTIME_DELAY_MS_PER_GIB = 75_000;
/** live_migration_completion_timeout: 800 s per GiB of RAM. */
const COMPLETION_TIMEOUT_SEC_PER_GIB = 800;

/** Bytes per second between two hypervisors: the slower of their links. */
export function linkRateBytesPerSec(state: WorldState, source: string, dest: string): number {
  const mibps = Math.min(findHost(state, source)!.linkMiBps, findHost(state, dest)!.linkMiBps);
  return mibps * MIB;
}

/** Share of a local disk image that is allocated (what block migration actually copies). */
const ALLOCATED_DISK_SHARE = 0.35;

/** Bytes of the VM's local root disk a block migration copies (0 for RBD-only guests). */
export function localDiskBytes(vm: WorldVm): number {
  const local = vm.disks.some((disk) => disk.kind === 'file' && disk.device === 'disk');
  return local ? Math.round(vm.flavor.diskGb * GIB * ALLOCATED_DISK_SHARE) : 0;
}

/** Completion timeout of a VM in seconds (nova multiplies by whole GiB of RAM, at least 1). */
export function completionTimeoutSec(vm: WorldVm): number {
  return COMPLETION_TIMEOUT_SEC_PER_GIB * Math.max(1, Math.round((vm.flavor.ramMb * MIB) / GIB));
}

/** Parameters of a fresh copy for `migration`; `paused` copies see no dirtying. */
export function copyParams(state: WorldState, migration: WorldMigration, vm: WorldVm): CopyParams {
  const rules = releaseRules(state.release);
  const ramGib = (vm.flavor.ramMb * MIB) / GIB;
  const noise = deriveRng(state.seed, `dirty-${migration.id}`);
  const perRound: number[] = [];
  const dirtyBytesPerSec = (round: number): number => {
    if (migration.paused) return 0;
    while (perRound.length <= round) {
      // ±10 % per round: the guest's write rate is not constant.
      perRound.push(vm.dirtyRateMiBps * MIB * (0.9 + 0.2 * noise.next()));
    }
    return perRound[round]!;
  };
  const stepMs = NOVA_DOWNTIME_DELAY_MS_PER_GIB * Math.max(1, ramGib);
  const base = NOVA_DOWNTIME_MS / NOVA_DOWNTIME_STEPS;
  const offset = (NOVA_DOWNTIME_MS - base) / NOVA_DOWNTIME_STEPS;
  return {
    memoryBytes: vm.flavor.ramMb * MIB,
    rateBytesPerSec: linkRateBytesPerSec(state, migration.source, migration.dest),
    dirtyBytesPerSec,
    downtimeLimitMs: rules.downtimeRamp
      ? (elapsedMs) => base + offset * Math.min(NOVA_DOWNTIME_STEPS, Math.floor(elapsedMs / stepMs))
      : () => QEMU_DEFAULT_DOWNTIME_MS,
    timeoutMs: completionTimeoutSec(vm) * 1000,
  };
}
