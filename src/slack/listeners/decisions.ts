/**
 * The buttons that decide: Approve (a migration request or a hard-reboot request: the core
 * re-checks and decides with one compare-and-set, so two approvers clicking at once start one
 * migration and a redelivered click starts nothing), Reject (approvers get a modal asking why),
 * Cancel (a request before approval, or a running migration), and Request hard reboot.
 */
import { errorReply } from '../blocks/command-reply.js';
import { type RejectTarget, rejectModal } from '../blocks/reject-modal.js';
import type { BotDeps } from '../bot-deps.js';
import { type ButtonArgs, readClick, refusalText, replyToClicker } from './click.js';

export function approve(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    const outcome = await deps.core.approve(click.value, click.caller);
    deps.home.changed();
    if (
      outcome.outcome === 'approved' ||
      outcome.outcome === 'reboot_approved' ||
      outcome.outcome === 'not_needed'
    ) {
      await deps.cards.refresh(click.value);
      if (outcome.outcome === 'not_needed' && !click.redelivered)
        await replyToClicker(deps, click, `Nothing was rebooted: ${outcome.message}.`);
      return;
    }
    if (outcome.outcome !== 'refused') return;
    // An expired request loses its buttons; any refusal redraws the card as it stands.
    await deps.cards.refresh(click.value);
    // A redelivery's first delivery already answered; the clicker's own earlier decision needs no notice.
    const repeated = click.redelivered || outcome.existing?.actor.id === click.caller.actor.id;
    if (repeated) return;
    await replyToClicker(deps, click, refusalText(outcome.code, outcome.message));
  };
}

/** Reject on a request or reboot card: approvers get the reason modal, anyone else a refusal. */
export function reject(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    const request = deps.core.request(click.value);
    const channel = request?.slack?.channel ?? click.channel;
    const ts = request?.slack?.ts ?? click.messageTs;
    if (!request || !channel || !ts) return;
    if (!click.caller.mayApprove) {
      await replyToClicker(deps, click, refusalText('not_approver', ''));
      return;
    }
    const target: RejectTarget = {
      kind: request.kind === 'reboot' ? 'reboot' : 'request',
      id: request.id,
      channel,
      ts,
    };
    await deps.slack.openModal(click.triggerId, rejectModal(target, request.vm.name));
  };
}

/** Cancel on a request card (before approval) or a status message (the copy is aborted). */
export function cancel(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    const result = await deps.core.cancel(click.value, click.caller);
    deps.home.changed();
    if (result.outcome === 'cancelled') await deps.cards.refresh(click.value);
    if (result.outcome === 'refused' && !click.redelivered) await replyToClicker(deps, click, result.message);
  };
}

/**
 * `Request hard reboot` under a reboot warning: the core re-checks the VM first, so an old
 * warning's button cannot ask for a reboot that would change nothing; otherwise the reboot's
 * approval card goes into the thread.
 */
export function requestReboot(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    if (!click.channel || click.redelivered) return;
    if (!click.caller.mayRequest) {
      await replyToClicker(deps, click, 'You may not request reboots: you are not in approval.requesters.');
      return;
    }
    const result = await deps.core.requestReboot(click.value, click.caller);
    if (result.outcome !== 'awaiting_approval') {
      await replyToClicker(deps, click, result.message);
      return;
    }
    const ts = await deps.cards.post(result.request, click.channel, click.threadTs);
    if (ts === null)
      await replyToClicker(deps, click, 'I could not post the reboot card here: invite me to this channel.');
    deps.home.changed();
  };
}

/** An error for the person who submitted a modal (no thread to answer in). */
export async function tellSubmitter(
  deps: BotDeps,
  channel: string,
  userId: string,
  text: string,
): Promise<void> {
  await deps.slack.ephemeral(channel, userId, errorReply(text));
}
