/**
 * A lab, an SSH executor and a runner sharing one SimClock, with the runner's data in a temp dir.
 * `restart()` builds a fresh store + runner from the files on disk, as a restarted process would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunnerServices } from '../../../commands/types.js';
import { compose } from '../../../src/compose.js';
import { readSecrets } from '../../../src/config/load-config.js';
import type { Config, NovaRelease } from '../../../src/config/schema.js';
import { type Lab, type LabOptions, startLab } from '../../../src/lab/index.js';
import { createSshExecutor } from '../../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../../src/ssh/types.js';
import { SimClock } from '../../../src/util/clock.js';

export interface LabRunner extends RunnerServices {
  lab: Lab;
  clock: SimClock;
  executor: RemoteExecutor;
  dataDir: string;
  /** The runner's services as the command core gets them (commands run against these). */
  services: RunnerServices;
  /** A new store and runner over the same data dir, lab and clock (the old runner is abandoned). */
  restart(): Promise<RunnerServices>;
  /** argv of every command the lab received (optionally on one host), in order. */
  commands(host?: string): string[][];
  stop(): Promise<void>;
}

/** What a test may change about the lab and livemig's limits. */
export interface LabRunnerOptions {
  lab?: Pick<LabOptions, 'serverMigrationApi' | 'slowLoginShellMs'>;
  limits?: Partial<Config['limits']>;
  /** Changes livemig's configuration (not the lab's world), e.g. a link speed the hosts do not have. */
  configure?: (config: Config) => Config;
}

export async function startLabRunner(
  release: NovaRelease,
  options: LabRunnerOptions = {},
): Promise<LabRunner> {
  const clock = new SimClock();
  const lab = await startLab({ clock, release, ...options.lab });
  const dataDir = await mkdtemp(join(tmpdir(), 'livemig-runner-'));
  const limits = { ...lab.config.limits, migrationPollIntervalMs: 2_000, ...options.limits };
  const configured = { ...lab.config, dataDir, limits };
  const config = options.configure ? options.configure(configured) : configured;
  const secrets = readSecrets({});
  const executor = createSshExecutor(config, secrets);
  // As every entry point builds it; the tests reconcile themselves where a restart is the point.
  const open = async () =>
    (await compose({ config, secrets, clock, needs: 'runner', executor, reconcile: false })).services;
  const opened = await open();
  return {
    ...opened,
    lab,
    dataDir,
    clock,
    services: opened,
    restart: open,
    commands: (host) => lab.commandLog.entries(host).map((e) => e.argv ?? ['<refused>', e.rawCommand]),
    async stop() {
      await executor.close();
      await lab.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
