/**
 * `nova SUBCOMMAND ...` on the controller: one file per subcommand, listed here. Subcommands a
 * release's novaclient does not have answer like argparse does.
 */

import { apiError } from '../../nova-errors.js';
import { releaseRules } from '../../release.js';
import { type CommandHandler, fail } from '../command.js';
import { hypervisorList } from './hypervisor-list.js';
import { hypervisorServers } from './hypervisor-servers.js';
import { hypervisorShow } from './hypervisor-show.js';
import { list } from './list.js';
import { liveMigration } from './live-migration.js';
import { liveMigrationAbort } from './live-migration-abort.js';
import { liveMigrationForceComplete } from './live-migration-force-complete.js';
import { migrationList } from './migration-list.js';
import { reboot } from './reboot.js';
import { serverMigrationList } from './server-migration-list.js';
import { serverMigrationShow } from './server-migration-show.js';
import { serviceDisable } from './service-disable.js';
import { serviceEnable } from './service-enable.js';
import { serviceList } from './service-list.js';
import { show } from './show.js';

const novaSubcommands: Record<string, CommandHandler> = {
  'hypervisor-list': hypervisorList,
  'hypervisor-servers': hypervisorServers,
  'hypervisor-show': hypervisorShow,
  list,
  'live-migration': liveMigration,
  'live-migration-abort': liveMigrationAbort,
  'live-migration-force-complete': liveMigrationForceComplete,
  'migration-list': migrationList,
  reboot,
  'server-migration-list': serverMigrationList,
  'server-migration-show': serverMigrationShow,
  'service-disable': serviceDisable,
  'service-enable': serviceEnable,
  'service-list': serviceList,
  show,
};

/** Subcommands that arrived with the migration progress API (novaclient 3.x, nova 2.22-2.24). */
const MIGRATION_API = new Set([
  'live-migration-abort',
  'live-migration-force-complete',
  'server-migration-list',
  'server-migration-show',
]);

const USAGE =
  'usage: nova [--version] [--debug] [--os-cache] [--timings]\n' +
  '            [--os-auth-token OS_AUTH_TOKEN] [--os-tenant-name <auth-tenant-name>]\n' +
  '            [--os-tenant-id <auth-tenant-id>] [--os-region-name <region-name>]\n' +
  '            [--os-auth-system <auth-system>] [--service-type <service-type>]\n' +
  '            [--service-name <service-name>] [--os-compute-api-version <compute-api-ver>]\n' +
  '            <subcommand> ...\n';

/** nova itself: global `--os-compute-api-version X` is accepted; the subcommand is dispatched. */
export const novaCommand: CommandHandler = (context) => {
  const args = [...context.args];
  while (args[0]?.startsWith('--os-') || args[0] === '--insecure') {
    args.splice(0, args[0].includes('=') || args[0] === '--insecure' ? 1 : 2);
  }
  const [subcommand, ...rest] = args;
  if (subcommand === undefined) return fail(`${USAGE}error: too few arguments\n`, 2);
  const handler = novaSubcommands[subcommand];
  const known =
    handler && (!MIGRATION_API.has(subcommand) || releaseRules(context.state.release).migrationApi);
  if (!known) {
    return fail(
      `${USAGE}error: argument <subcommand>: invalid choice: u'${subcommand}'\nTry 'nova help ' for more information.\n`,
      2,
    );
  }
  if (MIGRATION_API.has(subcommand) && !context.state.serverMigrationApi) {
    // The client knows the subcommand but the API answers at an older microversion: 404.
    return apiError('NotFound', 'The resource could not be found.', `req-${context.state.rng.uuid()}`);
  }
  return handler({ ...context, args: rest });
};
