import { abortMigration } from '../../migrations.js';
import { apiError } from '../../nova-errors.js';
import { type CommandHandler, ok } from '../command.js';
import { findInProgress } from './migration-view.js';
import { findServer, isReply, usageError } from './server-view.js';

/** `nova live-migration-abort SERVER ID` (API 2.24): cancels a running copy. */
export const liveMigrationAbort: CommandHandler = ({ state, args, nowMs }) => {
  const [server, id] = args;
  if (server === undefined || id === undefined) {
    return usageError(
      'live-migration-abort <server> <migration>',
      'too few arguments',
      'live-migration-abort',
    );
  }
  const vm = findServer(state, server);
  if (isReply(vm)) return vm;
  const requestId = `req-${state.rng.uuid()}`;
  const migration = findInProgress(state, vm, id, requestId);
  if ('code' in migration) return migration;
  if (!abortMigration(state, migration, nowMs)) {
    return apiError(
      'Conflict',
      `Migration ${id} state of instance ${vm.uuid} is ${migration.status}. Cannot abort live migration while the migration is in this state.`,
      requestId,
    );
  }
  return ok('');
};
