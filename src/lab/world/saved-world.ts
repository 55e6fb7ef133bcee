/**
 * The world's state as JSON, so a lab restarted in the same directory (`livemig start --dir`)
 * carries on with the same cluster: the same VMs where they were, the same migrations in flight,
 * the same instance directories and logs. The clock and the random generator are not state: the
 * lab gives the restored world a clock that continues from the saved time.
 */
import type { Clock } from '../../util/clock.js';
import type { DirEntry, FaultPoint, WorldHost, WorldState } from './model.js';
import { createRng } from './rng.js';

/** Bumped whenever the shape below changes; a file of another version is not restored. */
export const savedWorldVersion = 1;

export interface SavedWorld {
  version: typeof savedWorldVersion;
  release: WorldState['release'];
  seed: number;
  startMs: number;
  hosts: (Omit<WorldHost, 'dirs'> & { dirs: [string, DirEntry][] })[];
  vms: WorldState['vms'];
  migrations: WorldState['migrations'];
  nextMigrationId: number;
  nextDomainId: number;
  serverMigrationApi: boolean;
  pendingFaults: [string, { point: FaultPoint; message: string }][];
}

/** The state as plain JSON-ready data (a deep copy). */
export function saveWorld(state: WorldState): SavedWorld {
  const saved: SavedWorld = {
    version: savedWorldVersion,
    release: state.release,
    seed: state.seed,
    startMs: state.startMs,
    hosts: state.hosts.map((host) => ({ ...host, dirs: [...host.dirs.entries()] })),
    vms: state.vms,
    migrations: state.migrations,
    nextMigrationId: state.nextMigrationId,
    nextDomainId: state.nextDomainId,
    serverMigrationApi: state.serverMigrationApi,
    pendingFaults: [...state.pendingFaults.entries()],
  };
  return JSON.parse(JSON.stringify(saved)) as SavedWorld;
}

/**
 * A world state from saved data, on `clock`. The random stream restarts from a seed derived
 * from the saved one and the migration count, so a restarted lab stays reproducible.
 */
export function restoreWorld(saved: SavedWorld, clock: Clock): WorldState {
  const copy = JSON.parse(JSON.stringify(saved)) as SavedWorld;
  return {
    release: copy.release,
    seed: copy.seed,
    clock,
    startMs: copy.startMs,
    rng: createRng((copy.seed ^ 0x5eed ^ (copy.nextMigrationId * 0x9e3779b1)) >>> 0),
    hosts: copy.hosts.map((host) => ({ ...host, dirs: new Map(host.dirs) })),
    vms: copy.vms,
    migrations: copy.migrations,
    nextMigrationId: copy.nextMigrationId,
    nextDomainId: copy.nextDomainId,
    serverMigrationApi: copy.serverMigrationApi !== false,
    pendingFaults: new Map(copy.pendingFaults),
  };
}

/** Whether `value` looks like a SavedWorld this version of livemig wrote. */
export function isSavedWorld(value: unknown): value is SavedWorld {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<SavedWorld>;
  return (
    candidate.version === savedWorldVersion &&
    Array.isArray(candidate.hosts) &&
    Array.isArray(candidate.vms) &&
    Array.isArray(candidate.migrations)
  );
}
