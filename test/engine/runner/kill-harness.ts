/**
 * Crash tests with a real process: a lab in this process (fast clock, real SSH), a real
 * `livemig migrate` child against it, a step held by a lab fault on the host its next command goes
 * to, then `kill -9`. Nothing in livemig knows it is being tested: the fault is the one
 * `livemig lab fault` sends, and the boundary is read from the store file the child wrote.
 *
 * How a boundary is held: when a command reaches the lab, the harness reads the child's store file
 * (synchronously, so the journal is exactly as the child left it before sending the command) and,
 * if the trigger matches, faults that host before the command runs:
 * - `hang`: the command never runs (the step journaled "started", its side effect did not happen);
 * - `slow`: the command runs, its answer is held (the side effect happened, "done" is not journaled).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { readSecrets } from '../../../src/config/load-config.js';
import type { Config, NovaRelease } from '../../../src/config/schema.js';
import {
  createMigrationCluster,
  type MigrationCluster,
  openRunner,
} from '../../../src/engine/runner/index.js';
import { type CommandLogEntry, type Lab, startLab } from '../../../src/lab/index.js';
import { createSshExecutor } from '../../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../../src/ssh/types.js';
import type { MigrationRecord, StoreData } from '../../../src/store/types.js';
import { systemClock } from '../../../src/util/clock.js';
import { type LivemigProcess, spawnLivemig } from '../../support/foreground.js';

/** Lab clock speed: a small VM's copy takes well under a second of real time. */
const labSpeed = 100;

/** What the harness sees when a command arrives: the command and the child's newest migration. */
export interface Arrival {
  entry: CommandLogEntry;
  /** The words of the command, e.g. `nova live-migration <uuid> node02`. */
  command: string;
  migration: MigrationRecord | undefined;
}

export interface Hold {
  /** True for the command to hold (checked in arrival order; the first match holds). */
  when: (arrival: Arrival) => boolean;
  fault: 'hang' | 'slow';
}

export interface KillLab {
  lab: Lab;
  config: Config;
  configPath: string;
  dataDir: string;
  cluster: MigrationCluster;
  /** argv of every command the lab received since the last clear, joined by spaces. */
  commands(host?: string): string[];
  /** Starts `livemig ARGS --config …` as a child process. */
  spawn(args: string[]): LivemigProcess;
  /** Resolves with the arrival once `hold` matched and its fault is in place. */
  hold(hold: Hold): Promise<Arrival>;
  /** kill -9, then clear every fault so the hosts answer again. */
  kill(child: LivemigProcess): Promise<void>;
  /** The child's store file as on disk. */
  storeFile(): StoreData;
  /** A new livemig (in this process, same data dir) that reconciles and runs until idle. */
  restart(): Promise<MigrationRecord[]>;
  stop(): Promise<void>;
}

export async function startKillLab(release: NovaRelease): Promise<KillLab> {
  const dir = await mkdtemp(join(tmpdir(), 'livemig-kill-'));
  const lab = await startLab({ release, speed: labSpeed, dir: join(dir, 'lab') });
  const dataDir = join(dir, 'data');
  const config: Config = {
    ...lab.config,
    dataDir,
    limits: { ...lab.config.limits, migrationPollIntervalMs: 100, contactLostGiveUpMs: 5_000 },
  };
  // The lab's own livemig.yml (paths relative to it), with this test's data dir and poll interval.
  const yml = parse(await readFile(lab.configPath, 'utf8')) as Record<string, unknown>;
  yml.dataDir = dataDir;
  yml.limits = { ...(yml.limits as object), ...pick(config.limits) };
  const configPath = join(lab.dir, 'livemig-kill.yml');
  await writeFile(configPath, stringify(yml));
  const executor: RemoteExecutor = createSshExecutor(config, readSecrets({}));
  const cluster = createMigrationCluster({
    executor,
    controller: config.cluster.controller.name,
    instancesPath: config.nova.instancesPath,
  });
  const storeFile = (): StoreData => {
    try {
      return JSON.parse(readFileSync(join(dataDir, 'livemig.json'), 'utf8')) as StoreData;
    } catch {
      return { schemaVersion: 1, requests: [], migrations: [], audit: [] } as unknown as StoreData;
    }
  };
  const holds: { hold: Hold; resolve: (a: Arrival) => void }[] = [];
  // Every arrival goes through here before the lab decides whether to run it.
  const record = lab.commandLog.record.bind(lab.commandLog);
  lab.commandLog.record = (entry) => {
    record(entry);
    const pending = holds[0];
    if (!pending) return;
    const arrival: Arrival = {
      entry,
      command: (entry.argv ?? [entry.rawCommand]).join(' '),
      migration: storeFile().migrations.at(-1),
    };
    if (!pending.hold.when(arrival)) return;
    holds.shift();
    const fault =
      pending.hold.fault === 'hang'
        ? { kind: 'hang' as const, host: entry.host }
        : { kind: 'slow' as const, host: entry.host, delayMs: 3_600_000 };
    // Synchronous up to its first await: the fault is in place before this command is answered.
    void lab.faults.apply(fault);
    pending.resolve(arrival);
  };
  return {
    lab,
    config,
    configPath,
    dataDir,
    cluster,
    commands: (host) => lab.commandLog.entries(host).map((e) => (e.argv ?? [e.rawCommand]).join(' ')),
    spawn: (args) =>
      spawnLivemig([...args, '--config', configPath], {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        USER: 'alice',
      }),
    hold: (hold) => new Promise((resolve) => holds.push({ hold, resolve })),
    async kill(child) {
      // The held command is in the lab now; give a `slow` one time to run in the world.
      await new Promise((resolve) => setTimeout(resolve, 100));
      child.child.kill('SIGKILL');
      await child.exited;
      holds.length = 0;
      await lab.faults.apply({ kind: 'clear' });
    },
    storeFile,
    async restart() {
      const opened = await openRunner({ config, executor, clock: systemClock });
      try {
        await opened.runner.reconcile();
        await opened.runner.idle();
        return opened.store.listMigrations();
      } finally {
        await opened.store.close();
      }
    },
    async stop() {
      await executor.close();
      await lab.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function pick(limits: Config['limits']) {
  return {
    migrationPollIntervalMs: limits.migrationPollIntervalMs,
    contactLostGiveUpMs: limits.contactLostGiveUpMs,
  };
}

/** The newest journal entry of `m` that is not a state change. */
export function lastStep(m: MigrationRecord | undefined): { step: string; phase: string } | undefined {
  const entry = [...(m?.journal ?? [])].reverse().find((e) => !e.step.startsWith('state:'));
  return entry && { step: entry.step, phase: entry.phase };
}
