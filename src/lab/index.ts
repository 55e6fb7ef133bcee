/**
 * The embedded lab: the seed's OpenStack + Ceph cluster, simulated (src/lab/world) and reachable
 * over real SSH on 127.0.0.1 (src/lab/server), so livemig and OpenSSH reach it exactly as they
 * would reach real hosts. Nothing in livemig's production path imports this folder.
 */
import { type Lab, type LabOptions, launchLab, type WorldFactory } from './lab.js';
import { createWorld } from './world/index.js';

export type { LabFault, LabFaults, MigrationFailurePoint } from './fault-command.js';
export type { Lab, LabOptions, WorldFactory } from './lab.js';
export type { CommandLog, CommandLogEntry } from './server/command-log.js';
export type { ExecReply, ExecRequest, LabHostSpec, LabWorld, LabWorldOptions, WorldFaults } from './types.js';

/**
 * Starts a lab: the simulated world (unless `createWorld` supplies another one, e.g. a test's)
 * behind one SSH listener per host. Defaults: 10 hypervisors, release icehouse-patched, speed 1,
 * seed 1, OS-chosen ports, a fresh temporary directory. Always `stop()` it.
 */
export function startLab(options: LabOptions & { createWorld?: WorldFactory } = {}): Promise<Lab> {
  return launchLab(options, options.createWorld ?? createWorld);
}
