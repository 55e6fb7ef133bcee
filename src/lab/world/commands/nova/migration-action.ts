import type { WorldMigration, WorldState } from '../../model.js';
import { apiError } from '../../nova-errors.js';
import { type CommandHandler, ok } from '../command.js';
import { findInProgress } from './migration-view.js';
import { findServer, isReply, usageError } from './server-view.js';

/**
 * `nova COMMAND SERVER ID` acting on one in-progress migration (live-migration-abort,
 * live-migration-force-complete): usage error, unknown server or migration as nova reports them,
 * then `act`; when `act` refuses, nova's 409 "... is STATUS. `refusal` while the migration is in
 * this state."
 */
export function migrationActionCommand(
  command: string,
  act: (state: WorldState, migration: WorldMigration, nowMs: number) => boolean,
  refusal: string,
): CommandHandler {
  return ({ state, args, nowMs }) => {
    const [server, id] = args;
    if (server === undefined || id === undefined) {
      return usageError(`${command} <server> <migration>`, 'too few arguments', command);
    }
    const vm = findServer(state, server);
    if (isReply(vm)) return vm;
    const requestId = `req-${state.rng.uuid()}`;
    const migration = findInProgress(state, vm, id, requestId);
    if ('code' in migration) return migration;
    if (!act(state, migration, nowMs)) {
      return apiError(
        'Conflict',
        `Migration ${id} state of instance ${vm.uuid} is ${migration.status}. ${refusal} while the migration is in this state.`,
        requestId,
      );
    }
    return ok('');
  };
}
