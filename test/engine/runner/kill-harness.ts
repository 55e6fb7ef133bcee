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
import { compose } from '../../../src/compose.js';
import { readSecrets } from '../../../src/config/load-config.js';
import type { Config, NovaRelease } from '../../../src/config/schema.js';
import type { MigrationCluster, ReconcileReport } from '../../../src/engine/runner/index.js';
import { type CommandLogEntry, type Lab, startLab } from '../../../src/lab/index.js';
import { createSshExecutor } from '../../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../../src/ssh/types.js';
import type { MigrationRecord, RequestRecord, StoreData } from '../../../src/store/types.js';
import { systemClock } from '../../../src/util/clock.js';
import { type LivemigProcess, spawnLivemig } from '../../support/foreground.js';

/** Default lab clock speed: a small VM's copy takes well under a second of real time. */
const defaultLabSpeed = 100;

export interface KillLabOptions {
  /** Lab clock speed (default 100); a slower lab leaves time to interrupt a copy. */
  speed?: number;
  /** Migration link speed of chosen hypervisors (MiB/s): a slow link makes a copy last. */
  linkMiBps?: Readonly<Record<string, number>>;
  /** Changes the child's livemig.yml (as parsed YAML) before it is written. */
  configure?: (yml: Record<string, unknown>) => void;
  /** Environment of every child beyond PATH, HOME and USER=alice (e.g. Slack tokens). */
  env?: NodeJS.ProcessEnv;
}

/** What the in-process livemig saw and did after the kill. */
export interface Restarted {
  report: ReconcileReport;
  migrations: MigrationRecord[];
  requests: RequestRecord[];
}

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
  /** argv of every command the lab ran since the last clear, joined by spaces (not those a hang held). */
  commands(host?: string): string[];
  /** Starts `livemig ARGS --config …` as a child process. */
  spawn(args: string[]): LivemigProcess;
  /** Resolves with the arrival once `hold` matched and its fault is in place. */
  hold(hold: Hold): Promise<Arrival>;
  /**
   * Starts `livemig ARGS`, runs `meanwhile` (e.g. a Ctrl-C), and resolves once `hold` matched;
   * throws with everything the child printed if it ends first.
   */
  spawnUntilHeld(
    args: string[],
    hold: Hold,
    meanwhile?: (child: LivemigProcess) => Promise<void>,
  ): Promise<{ child: LivemigProcess; arrival: Arrival }>;
  /** kill -9, then clear every fault so the hosts answer again. */
  kill(child: LivemigProcess): Promise<void>;
  /** The child's store file as on disk. */
  storeFile(): StoreData;
  /** A new livemig (in this process, same data dir) that reconciles and runs until idle. */
  restart(): Promise<Restarted>;
  stop(): Promise<void>;
}

export async function startKillLab(release: NovaRelease, options: KillLabOptions = {}): Promise<KillLab> {
  const dir = await mkdtemp(join(tmpdir(), 'livemig-kill-'));
  const lab = await startLab({
    release,
    speed: options.speed ?? defaultLabSpeed,
    dir: join(dir, 'lab'),
    ...(options.linkMiBps ? { linkMiBps: options.linkMiBps } : {}),
  });
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
  options.configure?.(yml);
  const configPath = join(lab.dir, 'livemig-kill.yml');
  await writeFile(configPath, stringify(yml));
  const secrets = readSecrets({});
  const executor: RemoteExecutor = createSshExecutor(config, secrets);
  const { cluster } = (await compose({ config, secrets, clock: systemClock, needs: 'cluster', executor }))
    .services;
  const storeFile = (): StoreData => {
    try {
      return JSON.parse(readFileSync(join(dataDir, 'livemig.json'), 'utf8')) as StoreData;
    } catch {
      return { schemaVersion: 1, requests: [], migrations: [], audit: [] } as unknown as StoreData;
    }
  };
  const holds: { hold: Hold; resolve: (a: Arrival) => void }[] = [];
  // A host under a `hang` runs nothing it receives: those commands are in the log but never ran.
  const hungHosts = new Set<string>();
  const neverRan = new WeakSet<CommandLogEntry>();
  // Every arrival goes through here before the lab decides whether to run it.
  const record = lab.commandLog.record.bind(lab.commandLog);
  lab.commandLog.record = (entry) => {
    record(entry);
    holdIfMatched(entry);
    if (hungHosts.has(entry.host)) neverRan.add(entry);
  };
  const holdIfMatched = (entry: CommandLogEntry) => {
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
    if (fault.kind === 'hang') hungHosts.add(entry.host);
    pending.resolve(arrival);
  };
  const spawn = (args: string[]) =>
    spawnLivemig([...args, '--config', configPath], {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      USER: 'alice',
      ...options.env,
    });
  const hold = (wanted: Hold) => new Promise<Arrival>((resolve) => holds.push({ hold: wanted, resolve }));
  return {
    lab,
    config,
    configPath,
    dataDir,
    cluster,
    commands: (host) =>
      lab.commandLog
        .entries(host)
        .filter((e) => !neverRan.has(e))
        .map((e) => (e.argv ?? [e.rawCommand]).join(' ')),
    spawn,
    hold,
    async spawnUntilHeld(args, wanted, meanwhile) {
      const held = hold(wanted);
      const child = spawn(args);
      await meanwhile?.(child);
      const arrival = await Promise.race([
        held,
        child.exited.then((code) => {
          throw new Error(
            `livemig ${args[0]} ended (${code}) before the hold: ${child.stdout()}${child.stderr()}`,
          );
        }),
      ]);
      return { child, arrival };
    },
    async kill(child) {
      // The held command is in the lab now; give a `slow` one time to run in the world.
      await new Promise((resolve) => setTimeout(resolve, 100));
      child.child.kill('SIGKILL');
      await child.exited;
      holds.length = 0;
      await lab.faults.apply({ kind: 'clear' });
      hungHosts.clear();
    },
    storeFile,
    async restart() {
      // The same composition as any livemig command; reconciled here to read its report.
      const composed = await compose({
        config,
        secrets,
        clock: systemClock,
        needs: 'runner',
        executor,
        reconcile: false,
      });
      try {
        const { runner, store } = composed.services;
        const report = await runner.reconcile();
        await runner.idle();
        return { report, migrations: store.listMigrations(), requests: store.listRequests() };
      } finally {
        await composed.close();
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
