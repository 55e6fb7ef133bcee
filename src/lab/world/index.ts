/**
 * The WORLD half of the lab: a simulated OpenStack (nova) + libvirt + Ceph RBD cluster that
 * answers shell commands in their real output formats. Pure and deterministic given the seed and
 * the clock: nothing runs between commands; each command first settles every migration up to
 * clock.now() and then answers.
 */

import { LivemigError } from '../../errors.js';
import type {
  ExecReply,
  ExecRequest,
  LabHostSpec,
  LabWorld,
  LabWorldOptions,
  WorldFaults,
} from '../types.js';
import { runProgram } from './commands/registry.js';
import { labCpu } from './host-cpu.js';
import { settleWorld } from './migrations.js';
import { findHost, type WorldState } from './model.js';
import { createRng } from './rng.js';
import { isSavedWorld, restoreWorld, saveWorld } from './saved-world.js';
import { buildTopology } from './topology.js';

/** Builds the world for `options` (the seed's cluster unless `hosts` asks for another size). */
export function createWorld(options: LabWorldOptions): LabWorld {
  const state = isSavedWorld(options.saved)
    ? restoreWorld(options.saved, options.clock)
    : createWorldState(options);
  const hosts: LabHostSpec[] = state.hosts.map((host) =>
    host.role === 'hypervisor'
      ? { name: host.name, role: host.role, linkMiBps: host.linkMiBps }
      : { name: host.name, role: host.role },
  );
  return {
    hosts,
    faults: createFaults(state),
    handle: async (request) => handleRequest(state, request),
    save: () => saveWorld(state),
  };
}

/** The initial state of the world. */
function createWorldState(options: LabWorldOptions): WorldState {
  const startMs = options.clock.now();
  const topology = buildTopology(options.seed, options.hosts, startMs);
  for (const [name, mibps] of Object.entries(options.linkMiBps ?? {})) {
    const host = topology.hosts.find((candidate) => candidate.name === name);
    if (host?.role !== 'hypervisor' || !(mibps > 0)) {
      throw new LivemigError(
        'usage',
        `lab link speed ${name}=${mibps}: needs a hypervisor of the lab and a positive MiB/s`,
      );
    }
    host.linkMiBps = mibps;
  }
  for (const name of options.hostPassthrough ?? []) {
    const vm = topology.vms.find((candidate) => candidate.name === name);
    if (vm === undefined)
      throw new LivemigError('usage', `lab host-passthrough ${name}: no such VM in the lab`);
    // Booted with cpu_mode=host-passthrough: the guest sees its host's CPU, every feature.
    const cpu = labCpu(topology.hosts.find((host) => host.name === vm.host)!.cpuName);
    vm.persistentCpu = { mode: 'host-passthrough' };
    vm.liveCpu = {
      mode: 'custom',
      model: cpu.libvirtModel,
      vendor: cpu.vendor,
      features: cpu.extraFeatures,
      expanded: true,
    };
  }
  return {
    release: options.release,
    ...(options.libvirtVersion ? { libvirtVersion: options.libvirtVersion } : {}),
    seed: options.seed,
    clock: options.clock,
    startMs,
    rng: createRng(options.seed ^ 0x5eed),
    hosts: topology.hosts,
    vms: topology.vms,
    migrations: [],
    nextMigrationId: 1,
    nextDomainId: topology.nextDomainId,
    serverMigrationApi: options.serverMigrationApi ?? true,
    pendingFaults: new Map(),
  };
}

/** Answers one command as the host would, after bringing the world up to the clock's now. */
function handleRequest(state: WorldState, request: ExecRequest): ExecReply {
  const host = findHost(state, request.host);
  if (!host) throw new Error(`lab world: no host called ${request.host}`);
  const nowMs = state.clock.now();
  settleWorld(state, nowMs);
  return runProgram({ state, host, request, args: request.argv.slice(1), nowMs });
}

function createFaults(state: WorldState): WorldFaults {
  return {
    setNovaComputeDown(hostName, down) {
      const host = findHost(state, hostName);
      if (host?.role !== 'hypervisor') throw new Error(`lab world: no hypervisor called ${hostName}`);
      settleWorld(state, state.clock.now());
      if (down && !host.computeDown) host.computeDownSinceMs = state.clock.now();
      host.computeDown = down;
    },
    failMigrationAt(vmName, point, message) {
      const vm =
        state.vms.find((candidate) => candidate.uuid === vmName) ??
        state.vms.find((candidate) => candidate.name === vmName);
      if (!vm) throw new Error(`lab world: no VM called ${vmName}`);
      state.pendingFaults.set(vm.uuid, { point, message: message ?? DEFAULT_FAULT_MESSAGES[point] });
    },
    clear() {
      settleWorld(state, state.clock.now());
      state.pendingFaults.clear();
      for (const host of state.hosts) host.computeDown = false;
    },
  };
}

const DEFAULT_FAULT_MESSAGES = {
  preparing: 'Timed out waiting for a reply to message ID 3f1c9e0b2a5d4c7e8f6a1b2c3d4e5f60',
  copying: 'operation failed: migration job: unexpectedly failed',
  switchover: 'internal error: qemu unexpectedly closed the monitor',
} as const;
