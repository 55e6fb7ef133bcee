/**
 * The contract between the lab's two halves:
 * - the TRANSPORT (src/lab/server, src/lab/shell, src/lab/index.ts) owns the SSH listeners, parses
 *   each exec request's command line into argv, applies transport faults (down, hang, slow, lossy,
 *   auth failure, rekey) and records the command log;
 * - the WORLD (src/lab/world) owns the simulated cluster: hosts, VMs, the answers of nova / virsh /
 *   everything else, release behaviour and migration physics. It never sees a socket.
 *
 * Notes for the world:
 * - `createWorld(options: LabWorldOptions): LabWorld` is exported from src/lab/world/index.ts.
 * - `handle` receives one parsed command per SSH exec request and resolves when the command would
 *   have exited. Unknown programs should answer like bash: `bash: foo: command not found`, code 127.
 * - A command line with shell operators (| ; & > < ` $( ) never reaches the world: the transport
 *   answers it itself (see src/lab/shell).
 * - Time-dependent answers must use `options.clock`, never Date.now().
 * - Randomness must come from `options.seed`, so a lab run is reproducible.
 * - `hosts` lists the controller first (role 'controller', name control01), then hypervisors
 *   node01..nodeNN (zero-padded to at least two digits). The transport starts one SSH listener per
 *   entry, in this order.
 */
import type { NovaRelease } from '../config/schema.js';
import type { Clock } from '../util/clock.js';

/** One command as the host's shell would have run it. */
export interface ExecRequest {
  /** Inventory name of the host the SSH session reached: control01, node05, … */
  host: string;
  /** The command after shell word splitting, without the `sudo -n` prefix. Never empty. */
  argv: string[];
  /** Everything the client wrote to the channel before closing it ('' when nothing). */
  stdin: string;
  /** True when the command line started with `sudo -n` (or the SSH user is root). */
  sudo: boolean;
  /** The SSH user name the session authenticated as (root, or any user when ssh.sudo is used). */
  user: string;
  /** The command line exactly as the client sent it. */
  rawCommand: string;
}

/** What the command printed and its exit status. */
export interface ExecReply {
  stdout: string;
  stderr: string;
  code: number;
}

/** A host of the lab: the transport gives each one its own SSH listener and host key. */
export interface LabHostSpec {
  name: string;
  role: 'controller' | 'hypervisor';
  /** Link speed of a hypervisor (written to livemig.yml's cluster.hypervisors[].linkMiBps). */
  linkMiBps?: number;
}

export interface LabWorldOptions {
  /** Hypervisor count; default: the seed's 10 (node01-05 SandyBridge, node06-10 Westmere). */
  hosts?: number;
  release: NovaRelease;
  /** Seed for every random choice of the world (dirty rates, jitter, …). */
  seed: number;
  clock: Clock;
  /**
   * Migration link speed of chosen hypervisors in MiB/s (e.g. `{ node06: 1170 }` for 10 GbE); the
   * others keep the default (1 GbE, 117 MiB/s, on the seed cluster). A copy runs at the slower end.
   */
  linkMiBps?: Readonly<Record<string, number>>;
  /** A state an earlier `save()` returned: the world carries on from it instead of the seed's start. */
  saved?: unknown;
  /** libvirt version of the hypervisors (e.g. `1.3.1`); default: the release's (world/release.ts). */
  libvirtVersion?: string;
  /**
   * VMs booted with cpu_mode=host-passthrough (they run their host's exact CPU until a hard
   * reboot regenerates the CPU from nova.conf). Default: none.
   */
  hostPassthrough?: readonly string[];
  /**
   * False: nova's server-migration API answers 404 (an older microversion) although novaclient
   * has server-migration-list, live-migration-abort and live-migration-force-complete. Default true.
   */
  serverMigrationApi?: boolean;
}

/** Faults the world injects (the transport's own faults live in src/lab/server). */
export interface WorldFaults {
  /** nova service-list shows nova-compute on `host` as down (State down, Updated At stale). */
  setNovaComputeDown(host: string, down: boolean): void;
  /** The next migration of `vm` (name or uuid) fails when it reaches `point`. */
  failMigrationAt(vm: string, point: 'preparing' | 'copying' | 'switchover', message?: string): void;
  /** Undoes every world fault. */
  clear(): void;
}

/** The simulated cluster. */
export interface LabWorld {
  readonly hosts: LabHostSpec[];
  handle(request: ExecRequest): Promise<ExecReply>;
  readonly faults: WorldFaults;
  /** The whole state as JSON-ready data, for a lab that keeps its world across restarts. */
  save?(): unknown;
}
