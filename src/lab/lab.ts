import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { Config, NovaRelease } from '../config/schema.js';
import { LivemigError } from '../errors.js';
import { type Clock, scaledClock, systemClock } from '../util/clock.js';
import type { LabFault, LabFaults } from './fault-command.js';
import { keptWorld, previousWorld } from './kept-world.js';
import { type LabEndpoint, previousLabPorts, writeLabFiles } from './lab-files.js';
import { CommandLog } from './server/command-log.js';
import { serveControlSocket } from './server/control-socket.js';
import { HostListener, healthyFaults } from './server/host-listener.js';
import { HostKeyStore, loadOrCreateClientKey } from './server/lab-keys.js';
import { createLoginShell } from './server/login-shell.js';
import type { LabHostSpec, LabWorld, LabWorldOptions } from './types.js';
import { deriveRng } from './world/rng.js';

/** How to start a lab. Every field has a default that gives the seed's cluster. */
export interface LabOptions {
  /** Where keys, livemig.yml and known_hosts live; absent: a temporary directory that stop() removes. */
  dir?: string;
  /** Hypervisor count (default: the world's, 10). */
  hosts?: number;
  release?: NovaRelease;
  /** Lab clock speed factor when no clock is given (default 1). */
  speed?: number;
  seed?: number;
  clock?: Clock;
  /** Migration link speed per hypervisor, MiB/s (see LabWorldOptions.linkMiBps). */
  linkMiBps?: Readonly<Record<string, number>>;
  /** libvirt version of the hypervisors (default: the release's; see LabWorldOptions). */
  libvirtVersion?: string;
  /** VMs booted with cpu_mode=host-passthrough (see LabWorldOptions.hostPassthrough). */
  hostPassthrough?: readonly string[];
  /** False: nova's server-migration API answers 404 (see LabWorldOptions.serverMigrationApi). */
  serverMigrationApi?: boolean;
  /**
   * 'ephemeral' (default): each host keeps the port a previous lab in `dir` gave it when that port
   * is free, else the OS picks one; a number: hosts get consecutive ports from it.
   */
  ports?: 'ephemeral' | number;
  /** Channels one connection may have open at once (OpenSSH MaxSessions; default 10). */
  maxSessionsPerConnection?: number;
  /**
   * Hosts with a slow login shell: lab-clock ms each command spends in `~/.bashrc` before it runs,
   * under a lock all shells of that host share (like `pyenv init` / `pyenv rehash`). Default: none.
   */
  slowLoginShellMs?: Readonly<Record<string, number>>;
  /** Serve DIR/control.sock for `livemig lab fault` (default false). */
  controlSocket?: boolean;
  /**
   * Keep the world in `dir` across restarts (VMs, migrations, directories, the lab clock), as
   * `livemig start --dir` does; default false: every start is the seed's cluster afresh.
   */
  keepWorld?: boolean;
}

/** A running lab. */
export interface Lab {
  dir: string;
  configPath: string;
  /** livemig.yml as livemig itself loads it (paths resolved). */
  config: Config;
  clock: Clock;
  world: LabWorld;
  commandLog: CommandLog;
  faults: LabFaults;
  hosts: readonly LabHostSpec[];
  /** The loopback port of an inventory host; throws unknown_host for others. */
  hostPort(name: string): number;
  /** Path of the control socket when it is served. */
  controlSocketPath: string | undefined;
  /** Stops every listener and the control socket, and removes the lab's own temporary dir; idempotent. */
  stop(): Promise<void>;
}

export type WorldFactory = (options: LabWorldOptions) => LabWorld;

/**
 * Starts the transport of a lab around the world `createWorld` builds: one SSH listener per
 * world host on 127.0.0.1, keys kept in `dir`, livemig.yml and known_hosts written there.
 */
export async function launchLab(options: LabOptions, createWorld: WorldFactory): Promise<Lab> {
  // A lab without a given dir lives in a temporary one that stop() removes again.
  const ownsDir = options.dir === undefined;
  const dir = resolve(options.dir ?? (await mkdtemp(join(tmpdir(), 'livemig-lab-'))));
  await mkdir(dir, { recursive: true });
  const release = options.release ?? 'icehouse-patched';
  const seed = options.seed ?? 1;
  const speed = options.speed ?? 1;
  const previous = options.keepWorld ? previousWorld(dir, release, seed) : undefined;
  const clock = options.clock ?? scaledClock(speed, systemClock, previous?.labNowMs);
  const created = createWorld({
    ...(options.hosts === undefined ? {} : { hosts: options.hosts }),
    release,
    seed,
    clock,
    ...(options.linkMiBps === undefined ? {} : { linkMiBps: options.linkMiBps }),
    ...(previous === undefined ? {} : { saved: previous.world }),
    ...(options.libvirtVersion === undefined ? {} : { libvirtVersion: options.libvirtVersion }),
    ...(options.hostPassthrough === undefined ? {} : { hostPassthrough: options.hostPassthrough }),
    ...(options.serverMigrationApi === undefined ? {} : { serverMigrationApi: options.serverMigrationApi }),
  });
  const world = options.keepWorld ? keptWorld(created, { dir, release, seed, speed, clock }) : created;
  const firstPort = options.ports === undefined || options.ports === 'ephemeral' ? undefined : options.ports;
  if (firstPort !== undefined && firstPort + world.hosts.length - 1 > 65_535) {
    throw new LivemigError(
      'usage',
      `${world.hosts.length} hosts from port ${firstPort} would need ports past 65535`,
      {
        hint: 'Choose a lower first port, or let the system choose the ports.',
      },
    );
  }
  const listeners = new Map<string, HostListener>();
  const listenerOf = (name: string): HostListener => {
    const listener = listeners.get(name);
    if (listener === undefined) {
      throw new LivemigError('unknown_host', `the lab has no host named ${name}`, {
        hint: `Lab hosts: ${[...listeners.keys()].slice(0, 12).join(', ')}${listeners.size > 12 ? ', …' : ''}`,
      });
    }
    return listener;
  };
  const hostKeys = HostKeyStore.open(dir);
  const faults: LabFaults = {
    apply: (fault) => applyFault(fault, listenerOf, [...listeners.values()], world, hostKeys),
  };
  // The control socket comes first: it is also how a second lab in the same directory is
  // refused before it overwrites the running lab's livemig.yml and known_hosts.
  const controlSocketPath = options.controlSocket ? join(dir, 'control.sock') : undefined;
  const control =
    controlSocketPath === undefined ? undefined : await serveControlSocket(controlSocketPath, faults.apply);
  const commandLog = new CommandLog();
  const stopAll = async () => {
    if (control !== undefined) await new Promise<void>((done) => control.close(() => done()));
    await Promise.all([...listeners.values()].map((listener) => listener.stop()));
  };
  const previousPorts = firstPort === undefined ? await previousLabPorts(dir) : new Map<string, number>();
  let endpoints: LabEndpoint[];
  try {
    endpoints = await startListeners(world, listeners, {
      dir,
      hostKeys,
      clock,
      commandLog,
      random: deriveRng(seed, 'transport-loss').next,
      firstPort,
      previousPorts,
      maxSessionsPerConnection: options.maxSessionsPerConnection ?? 10,
      slowLoginShellMs: options.slowLoginShellMs ?? {},
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
  const { configPath, configText } = await writeLabFiles(dir, endpoints, release);
  const config = loadConfig(configText, {}, configPath).config;
  let stopped: Promise<void> | undefined;
  return {
    dir,
    configPath,
    config,
    clock,
    world,
    commandLog,
    faults,
    hosts: world.hosts,
    hostPort: (name) => listenerOf(name).port,
    controlSocketPath,
    stop: () => {
      stopped ??= stopAll().then(() => (ownsDir ? rm(dir, { recursive: true, force: true }) : undefined));
      return stopped;
    },
  };
}

interface ListenerSettings {
  dir: string;
  hostKeys: HostKeyStore;
  clock: Clock;
  commandLog: CommandLog;
  random: () => number;
  /** Consecutive ports from here, when given. */
  firstPort: number | undefined;
  /** Otherwise the ports of the lab that last ran in `dir`, kept when still free. */
  previousPorts: ReadonlyMap<string, number>;
  maxSessionsPerConnection: number;
  slowLoginShellMs: Readonly<Record<string, number>>;
}

/** One listener per world host, each with its persisted key, listening before this resolves. */
async function startListeners(
  world: LabWorld,
  listeners: Map<string, HostListener>,
  settings: ListenerSettings,
): Promise<LabEndpoint[]> {
  const clientKey = loadOrCreateClientKey(settings.dir);
  const endpoints = world.hosts.map((spec): LabEndpoint => {
    const hostKey = settings.hostKeys.keyOf(spec.name);
    const service = {
      host: spec.name,
      faults: healthyFaults(),
      world,
      log: settings.commandLog,
      clock: settings.clock,
      random: settings.random,
      loginShell: createLoginShell(settings.slowLoginShellMs[spec.name] ?? 0, settings.clock),
    };
    listeners.set(
      spec.name,
      new HostListener({
        service,
        hostKey,
        clientKey: clientKey.publicKey,
        maxSessionsPerConnection: settings.maxSessionsPerConnection,
      }),
    );
    return { spec, port: 0, hostKey };
  });
  settings.hostKeys.save();
  await Promise.all(
    endpoints.map(async (endpoint, index) => {
      const listener = listeners.get(endpoint.spec.name)!;
      const previous = settings.previousPorts.get(endpoint.spec.name);
      if (settings.firstPort !== undefined) await listener.listen(settings.firstPort + index);
      else if (previous !== undefined) await listener.listen(previous).catch(() => listener.listen(0));
      else await listener.listen(0);
      endpoint.port = listener.port;
    }),
  );
  return endpoints;
}

async function applyFault(
  fault: LabFault,
  listenerOf: (name: string) => HostListener,
  all: readonly HostListener[],
  world: LabWorld,
  hostKeys: HostKeyStore,
): Promise<void> {
  switch (fault.kind) {
    case 'down':
      return listenerOf(fault.host).setDown(true);
    case 'hang':
      return listenerOf(fault.host).setHang(true);
    case 'slow':
      listenerOf(fault.host).faults.slowMs = fault.delayMs;
      return;
    case 'lossy':
      listenerOf(fault.host).faults.lossProbability = fault.probability;
      return;
    case 'auth-fail':
      listenerOf(fault.host).faults.authFail = true;
      return;
    case 'rekey': {
      const listener = listenerOf(fault.host);
      listener.replaceHostKey(hostKeys.replace(fault.host));
      return;
    }
    case 'nova-compute-down':
      listenerOf(fault.host);
      if (!isHypervisor(world, fault.host)) {
        throw new LivemigError(
          'usage',
          `${fault.host} is not a hypervisor: only hypervisors run nova-compute`,
        );
      }
      return world.faults.setNovaComputeDown(fault.host, true);
    case 'fail-migration':
      return world.faults.failMigrationAt(fault.vm, fault.point, fault.message);
    case 'clear': {
      const targets = fault.host === undefined ? all : [listenerOf(fault.host)];
      for (const listener of targets) {
        const original = hostKeys.restore(listener.host);
        if (original !== undefined) listener.replaceHostKey(original);
      }
      if (fault.host === undefined) world.faults.clear();
      else if (isHypervisor(world, fault.host)) world.faults.setNovaComputeDown(fault.host, false);
      await Promise.all(targets.map((listener) => clearTransportFaults(listener)));
      return;
    }
  }
}

async function clearTransportFaults(listener: HostListener): Promise<void> {
  listener.setHang(false);
  Object.assign(listener.faults, { slowMs: 0, lossProbability: 0, authFail: false });
  await listener.setDown(false);
}

function isHypervisor(world: LabWorld, host: string): boolean {
  return world.hosts.some((spec) => spec.name === host && spec.role === 'hypervisor');
}
