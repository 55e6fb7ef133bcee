import { parseServerList } from '../parse/nova-server.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, ServerSummary } from '../types.js';
import { checkHostName } from '../validate.js';
import { novaCommand } from './nova-command.js';

/**
 * `nova list --all-tenants [--host HOST]` on the controller: every server livemig may be asked to
 * move, or only those whose compute host is HOST (an admin filter, matched exactly).
 */
export const listServers: ClusterOperation<{ host?: string }, ServerSummary[]> = async (
  executor,
  controller,
  { host },
) => {
  const filter = host === undefined ? [] : ['--host', checkHostName(host)];
  return parseServerList(
    await runChecked(executor, controller, novaCommand('list', '--all-tenants', ...filter)),
  );
};
