import { forceCompleteMigration } from '../../migrations.js';
import { apiError } from '../../nova-errors.js';
import { type CommandHandler, ok } from '../command.js';
import { findInProgress } from './migration-view.js';
import { findServer, isReply, usageError } from './server-view.js';

/** `nova live-migration-force-complete SERVER ID` (API 2.22): pauses the guest so the copy ends. */
export const liveMigrationForceComplete: CommandHandler = ({ state, args, nowMs }) => {
  const [server, id] = args;
  if (server === undefined || id === undefined) {
    return usageError(
      'live-migration-force-complete <server> <migration>',
      'too few arguments',
      'live-migration-force-complete',
    );
  }
  const vm = findServer(state, server);
  if (isReply(vm)) return vm;
  const requestId = `req-${state.rng.uuid()}`;
  const migration = findInProgress(state, vm, id, requestId);
  if ('code' in migration) return migration;
  if (!forceCompleteMigration(state, migration, nowMs)) {
    return apiError(
      'Conflict',
      `Migration ${id} state of instance ${vm.uuid} is ${migration.status}. Cannot force complete while the migration is in this state.`,
      requestId,
    );
  }
  return ok('');
};
