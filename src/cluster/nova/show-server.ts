import { parseServerShow } from '../parse/nova-server.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, Server } from '../types.js';
import { checkUuid } from '../validate.js';
import { novaCommand } from './nova-command.js';

/** `nova show <uuid>` on the controller. */
export const showServer: ClusterOperation<{ uuid: string }, Server> = async (
  executor,
  controller,
  { uuid },
) => parseServerShow(await runChecked(executor, controller, novaCommand('show', checkUuid(uuid))));
