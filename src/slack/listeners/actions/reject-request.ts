/** Reject on a request card: approvers get a modal asking why (view_submission decides). */
import { errorReply } from '../../blocks/command-reply.js';
import { rejectModal } from '../../blocks/reject-modal.js';
import type { BotDeps } from '../../bot-deps.js';
import { refusalText } from './approve-request.js';
import { type ButtonArgs, readClick } from './click.js';

export function rejectRequest(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    const request = deps.store.getRequest(click.value);
    if (!request || !click.channel || !click.messageTs) return;
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
      rejectModal(
        { kind: 'request', id: request.id, channel: click.channel, ts: click.messageTs },
        request.vm.name,
      ),
    );
  };
}
