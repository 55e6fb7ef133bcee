import { parseMigrationList } from '../parse/nova-migration.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, MigrationRecord } from '../types.js';
import { checkHostName } from '../validate.js';
import { novaCommand } from './nova-command.js';

/** `nova migration-list [--host H]`: every migration nova recorded (admin). */
export const migrationList: ClusterOperation<{ host?: string }, MigrationRecord[]> = async (
  executor,
  controller,
  { host },
) => {
  const args = ['migration-list'];
  if (host !== undefined) args.push('--host', checkHostName(host));
  return parseMigrationList(await runChecked(executor, controller, novaCommand(...args)));
};
