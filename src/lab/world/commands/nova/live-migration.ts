import { acceptLiveMigration } from '../../migrations.js';
import { apiError } from '../../nova-errors.js';
import { precheckLiveMigration, usedRamMb } from '../../precheck.js';
import { type CommandHandler, ok } from '../command.js';
import { findServer, isReply, usageError } from './server-view.js';

const USAGE = 'live-migration [--block-migrate] [--disk-over-commit] <server> [<host>]';

/** `nova live-migration [--block-migrate] SERVER [HOST]`: pre-checks, then the cast (no output). */
export const liveMigration: CommandHandler = ({ state, args, nowMs }) => {
  const blockMigration = args.includes('--block-migrate') || args.includes('--block_migrate');
  const positional = args.filter((arg) => !arg.startsWith('--'));
  const [server, host, ...extra] = positional;
  if (server === undefined) return usageError(USAGE, 'too few arguments', 'live-migration');
  if (extra.length > 0)
    return usageError(USAGE, `unrecognized arguments: ${extra.join(' ')}`, 'live-migration');
  const vm = findServer(state, server);
  if (isReply(vm)) return vm;
  const requestId = `req-${state.rng.uuid()}`;
  const source = state.hosts.find((candidate) => candidate.name === vm.host)!;
  if (source.computeDown) {
    return apiError(
      'BadRequest',
      `Compute service of ${source.name} is unavailable at this time.`,
      requestId,
    );
  }
  // Without a host the scheduler picks the hypervisor with the most free RAM among the up and
  // enabled ones (ComputeFilter: a disabled nova-compute gets nothing new, on every release).
  const dest =
    host ??
    state.hosts
      .filter(
        (candidate) =>
          candidate.role === 'hypervisor' &&
          candidate.name !== vm.host &&
          !candidate.computeDown &&
          candidate.disabledReason === undefined,
      )
      .sort((a, b) => b.memoryMb - usedRamMb(state, b.name) - (a.memoryMb - usedRamMb(state, a.name)))[0]
      ?.name;
  if (dest === undefined) return apiError('BadRequest', 'No valid host was found. ', requestId);
  const refusal = precheckLiveMigration(state, vm, dest, blockMigration, requestId, nowMs);
  if (refusal) return refusal;
  acceptLiveMigration(state, vm, dest, blockMigration, requestId, nowMs);
  return ok('');
};
