/**
 * The composition root: the one place that builds livemig's services from a configuration. Every
 * entry point uses it (each CLI command, `livemig serve`, the demo's bot): the SSH executor over
 * the inventory, the cluster port over it (the pre-flight and the runner share it), the store in
 * config.dataDir and the runner over both. What is opened depends on what the command needs.
 */
import type { ClusterServices, Needs, RunnerServices, ServicesFor } from '../commands/types.js';
import type { Secrets } from './config/load-config.js';
import type { Config } from './config/schema.js';
import { Campaigns, Drains } from './engine/drain/index.js';
import { lastSeenDirtyRate } from './engine/preflight/index.js';
import {
  createMigrationCluster,
  createPrechecker,
  MigrationRunner,
  runnerSettings,
} from './engine/runner/index.js';
import { createSshExecutor } from './ssh/executor.js';
import type { RemoteExecutor } from './ssh/types.js';
import { Store } from './store/index.js';
import type { Clock } from './util/clock.js';

export interface ComposeOptions<N extends Needs> {
  config: Config;
  secrets: Secrets;
  clock: Clock;
  needs: N;
  /** An executor to use instead of SSH from the config (tests that slow or wrap it). */
  executor?: RemoteExecutor;
  /**
   * Reconcile unfinished work before returning (default true). The bot reconciles itself, after it
   * subscribed to the runner's events, so resumed migrations report to their threads.
   */
  reconcile?: boolean;
}

export interface Composed<N extends Needs> {
  services: ServicesFor<N>;
  /**
   * Waits for what this process drives (migrations, reboots) when it owns the data dir (unless
   * `wait` is false: an interrupted migration is journaled and resumes at the next start), then
   * closes the store and SSH.
   */
  close(options?: { wait?: boolean }): Promise<void>;
}

/**
 * Opens what `needs` asks for. `runner` owns the data dir (locked), and reconciles whatever a
 * crash left unfinished before anything else runs; `records` reads it next to a running owner.
 */
export async function compose<N extends Needs>(options: ComposeOptions<N>): Promise<Composed<N>> {
  const { config, secrets, clock, needs } = options;
  if (needs === 'nothing') return { services: {} as ServicesFor<N>, close: async () => undefined };
  const ownExecutor = options.executor ? undefined : createSshExecutor(config, secrets);
  // A key that cannot be used is one config error, found before any host is asked.
  await ownExecutor?.checkCredentials();
  const executor = options.executor ?? ownExecutor!;
  // An executor the caller passed in is the caller's to close.
  const closeExecutor = options.executor ? async () => undefined : () => executor.close();
  const clusterServices = clusterServicesOver(config, executor, clock);
  const { cluster } = clusterServices;
  if (needs === 'cluster') return { services: clusterServices as ServicesFor<N>, close: closeExecutor };
  let store: Store;
  try {
    store = await Store.open({
      dataDir: config.dataDir,
      clock,
      archiveAfterDays: config.archiveAfterDays,
      readOnly: needs === 'records',
    });
  } catch (error) {
    await closeExecutor();
    throw error;
  }
  // A host that cannot measure a guest's dirty rate beforehand falls back to what livemig saw.
  const dirtyRateSeen = (uuid: string) => lastSeenDirtyRate(store.listMigrations((m) => m.vm.uuid === uuid));
  const runner = new MigrationRunner({
    store,
    cluster,
    clock,
    settings: runnerSettings(config),
    precheck: createPrechecker({ config, cluster, clock, dirtyRateSeen }),
  });
  const drains = new Drains({ context: { config, clock, cluster, executor, dirtyRateSeen }, store, runner });
  const campaigns = new Campaigns({
    context: { config, clock, cluster, executor, dirtyRateSeen },
    store,
    drains,
  });
  const services: RunnerServices = {
    config,
    clock,
    executor,
    cluster,
    store,
    runner,
    drains,
    campaigns,
    dirtyRateSeen,
  };
  const close = async ({ wait = true } = {}) => {
    try {
      if (needs === 'runner' && wait) {
        await Promise.all([drains.idle(), campaigns.idle()]);
        await runner.idle();
      }
    } finally {
      await store.close();
      await closeExecutor();
    }
  };
  if (needs === 'runner' && options.reconcile !== false) {
    try {
      await runner.reconcile();
      await store.archiveFinished();
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { services: services as ServicesFor<N>, close };
}

/** The cluster services over an executor the caller owns (and closes): the one cluster port. */
export function clusterServicesOver(config: Config, executor: RemoteExecutor, clock: Clock): ClusterServices {
  const cluster = createMigrationCluster({
    executor,
    controller: config.cluster.controller.name,
    instancesPath: config.nova.instancesPath,
  });
  return { config, clock, executor, cluster };
}
