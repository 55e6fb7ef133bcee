import { runChecked } from '../run-command.js';
import type { ClusterOperation, LiveMigrateOptions } from '../types.js';
import { checkHostName, checkUuid } from '../validate.js';
import { novaCommand } from './nova-command.js';

/**
 * `nova live-migration [--block-migrate] <uuid> <host>`. It returns once nova-api accepted the
 * request; the copy runs in the background (follow it with domJobInfo / serverMigrationShow). A
 * refusal (`ERROR (BadRequest): …`) arrives as RemoteCommandFailed with nova's text.
 */
export const liveMigrate: ClusterOperation<
  { uuid: string; destinationHost: string } & LiveMigrateOptions,
  void
> = async (executor, controller, { uuid, destinationHost, blockMigrate }) => {
  const args = ['live-migration'];
  if (blockMigrate) args.push('--block-migrate');
  args.push(checkUuid(uuid), checkHostName(destinationHost));
  await runChecked(executor, controller, novaCommand(...args));
};
