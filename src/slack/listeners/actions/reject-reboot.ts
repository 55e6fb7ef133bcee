/** Reject on a hard-reboot card: approvers get the same reason modal as for a migration request. */
import type { BotDeps } from '../../bot-deps.js';
import { type ButtonArgs, readClick } from './click.js';
import { openRejectModal } from './open-reject-modal.js';

export function rejectReboot(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    const request = deps.reboots.get(click.value);
    if (!request) return;
    await openRejectModal(deps, click, { kind: 'reboot', id: request.id, ...request.card }, request.vm.name);
  };
}
