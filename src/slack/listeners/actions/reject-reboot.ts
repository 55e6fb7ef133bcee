/** Reject on a hard-reboot card: approvers get the same reason modal as for a migration request. */
import { errorReply } from '../../blocks/command-reply.js';
import { rejectModal } from '../../blocks/reject-modal.js';
import type { BotDeps } from '../../bot-deps.js';
import { refusalText } from './approve-request.js';
import { type ButtonArgs, readClick } from './click.js';

export function rejectReboot(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    const request = deps.reboots.get(click.value);
    if (!request || !click.channel) return;
    const roles = await deps.access.rolesOf(click.actor.id);
    if (!roles.mayApprove) {
      await deps.slack.ephemeral(
        click.channel,
        click.actor.id,
        errorReply(refusalText('not_approver', '')),
        click.threadTs,
      );
      return;
    }
    await deps.slack.openModal(
      click.triggerId,
      rejectModal({ kind: 'reboot', id: request.id, ...request.card }, request.vm.name),
    );
  };
}
