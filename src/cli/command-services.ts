/**
 * The services of a CLI command that talks to the cluster: livemig.yml from --config or
 * LIVEMIG_CONFIG, an SSH executor over it, the system clock. The executor is closed afterwards so
 * the process can exit.
 */
import type { CommandServices } from '../../commands/types.js';
import { readConfigFile } from '../config/load-config.js';
import { createSshExecutor } from '../ssh/executor.js';
import { systemClock } from '../util/clock.js';
import type { CliIo, GlobalOptions } from './context.js';

/** Loads the configuration, opens an executor, runs `use`, closes the executor. */
export async function withCommandServices<T>(
  io: CliIo,
  options: GlobalOptions,
  use: (services: CommandServices) => Promise<T>,
): Promise<T> {
  const { config, secrets } = await readConfigFile(options.config, io.env);
  const executor = createSshExecutor(config, secrets);
  try {
    return await use({ config, executor, clock: systemClock });
  } finally {
    await executor.close();
  }
}
