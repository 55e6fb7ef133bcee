/**
 * The services of a CLI command that talks to the cluster: livemig.yml from --config or
 * LIVEMIG_CONFIG, an SSH executor over it, the system clock. The executor is closed afterwards so
 * the process can exit.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandServices } from '../../commands/types.js';
import { readConfigFile } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { isTerminal } from '../engine/runner/index.js';
import { createSshExecutor } from '../ssh/executor.js';
import { Store } from '../store/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import type { CliIo, GlobalOptions } from './context.js';

/** Loads the configuration, opens an executor, runs `use`, closes the executor. */
export async function withCommandServices<T>(
  io: CliIo,
  options: GlobalOptions,
  use: (services: CommandServices) => Promise<T>,
): Promise<T> {
  const { config, secrets } = await readConfigFile(options.config, io.env);
  const executor = createSshExecutor(config, secrets);
  await executor.checkCredentials();
  try {
    return await use({ config, executor, clock: systemClock });
  } finally {
    await executor.close();
  }
}

/**
 * The VMs livemig is migrating now, read (without the lock, so next to a running bot) from
 * config.dataDir: a test on a VM's UUID. Null when the data dir holds no store yet.
 */
export async function unfinishedMigrations(
  config: Config,
  clock: Clock,
): Promise<((uuid: string) => boolean) | null> {
  try {
    await access(join(config.dataDir, 'livemig.json'));
  } catch {
    return null;
  }
  const store = await Store.open({
    dataDir: config.dataDir,
    clock,
    archiveAfterDays: config.archiveAfterDays,
    readOnly: true,
  });
  try {
    const migrating = new Set(store.listMigrations((m) => !isTerminal(m.state)).map((m) => m.vm.uuid));
    return (uuid) => migrating.has(uuid);
  } finally {
    await store.close();
  }
}
