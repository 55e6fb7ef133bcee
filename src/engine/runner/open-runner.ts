/**
 * Wires a MigrationRunner for a loaded configuration: the store in config.dataDir, the cluster
 * over the SSH executor, the pre-flight (gather + evaluate) as the prechecker. Both the CLI and
 * the Slack bot start the runner through here, then call reconcile() once.
 */
import type { Config } from '../../config/schema.js';
import type { RemoteExecutor } from '../../ssh/types.js';
import { Store } from '../../store/index.js';
import type { Clock } from '../../util/clock.js';
import { createMigrationCluster } from './cluster-port.js';
import { runnerSettings } from './context.js';
import type { MigrationCluster } from './ports.js';
import { createPrechecker } from './preflight-port.js';
import { MigrationRunner } from './runner.js';

export interface OpenRunnerOptions {
  config: Config;
  executor: RemoteExecutor;
  clock: Clock;
  /** An already open store (the same process must not open the data dir twice). */
  store?: Store;
}

export interface OpenedRunner {
  runner: MigrationRunner;
  store: Store;
  cluster: MigrationCluster;
}

/** Opens the store and builds the runner; does not reconcile (call runner.reconcile()). */
export async function openRunner(options: OpenRunnerOptions): Promise<OpenedRunner> {
  const { config, executor, clock } = options;
  const store =
    options.store ??
    (await Store.open({ dataDir: config.dataDir, clock, archiveAfterDays: config.archiveAfterDays }));
  const cluster = createMigrationCluster({
    executor,
    controller: config.cluster.controller.name,
    instancesPath: config.nova.instancesPath,
  });
  const precheck = createPrechecker({ config, executor, clock });
  const runner = new MigrationRunner({
    store,
    cluster,
    precheck,
    clock,
    settings: runnerSettings(config),
  });
  return { runner, store, cluster };
}
