import { managementIp } from '../../model.js';
import { formatPropertyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { findInProgress, migrationBytes, migrationUuid } from './migration-view.js';
import { findServer, isoMicros, isReply, usageError } from './server-view.js';

/** `nova server-migration-show SERVER ID`: one in-progress migration with memory counters. */
export const serverMigrationShow: CommandHandler = ({ state, args, nowMs }) => {
  const [server, id] = args;
  if (server === undefined || id === undefined) {
    return usageError(
      'server-migration-show <server> <migration>',
      'too few arguments',
      'server-migration-show',
    );
  }
  const vm = findServer(state, server);
  if (isReply(vm)) return vm;
  const migration = findInProgress(state, vm, id, `req-${state.rng.uuid()}`);
  if ('code' in migration) return migration;
  const memory = migrationBytes(migration, vm, nowMs);
  return ok(
    formatPropertyTable({
      created_at: isoMicros(migration.createdMs),
      dest_compute: migration.dest,
      dest_host: managementIp(state, migration.dest),
      dest_node: `${migration.dest}.example.com`,
      disk_processed_bytes: String(memory.diskProcessed),
      disk_remaining_bytes: String(memory.diskRemaining),
      disk_total_bytes: String(memory.diskTotal),
      id: String(migration.id),
      memory_processed_bytes: String(memory.processed),
      memory_remaining_bytes: String(memory.remaining),
      memory_total_bytes: String(memory.total),
      server_uuid: vm.uuid,
      source_compute: migration.source,
      source_node: `${migration.source}.example.com`,
      status: migration.status,
      updated_at: isoMicros(migration.updatedMs),
      uuid: migrationUuid(migration),
    }),
  );
};
