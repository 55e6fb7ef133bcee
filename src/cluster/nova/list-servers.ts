import { parseServerList } from '../parse/nova-server.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, ServerSummary } from '../types.js';
import { novaCommand } from './nova-command.js';

/** `nova list --all-tenants` on the controller: every server livemig may be asked to move. */
export const listServers: ClusterOperation<Record<string, never>, ServerSummary[]> = async (
  executor,
  controller,
) => parseServerList(await runChecked(executor, controller, novaCommand('list', '--all-tenants')));
