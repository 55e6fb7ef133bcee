/** What both Reject buttons do: approvers get the reason modal, anyone else an ephemeral refusal. */
import { errorReply } from '../../blocks/command-reply.js';
import { type RejectTarget, rejectModal } from '../../blocks/reject-modal.js';
import type { BotDeps } from '../../bot-deps.js';
import { refusalText } from './approve-request.js';
import type { Click } from './click.js';

export async function openRejectModal(
  deps: BotDeps,
  click: Click,
  target: RejectTarget,
  vmName: string,
): Promise<void> {
  const roles = await deps.access.rolesOf(click.actor.id);
  if (!roles.mayApprove) {
    await deps.slack.ephemeral(
      target.channel,
      click.actor.id,
      errorReply(refusalText('not_approver', '')),
      click.threadTs,
    );
    return;
  }
  await deps.slack.openModal(click.triggerId, rejectModal(target, vmName));
}
