/**
 * Approve on a request card. The runner re-checks and decides with one compare-and-set, so two
 * approvers clicking at once start one migration and a redelivered click starts nothing.
 */
import type { BotDeps } from '../../bot-deps.js';
import { type ButtonArgs, readClick, replyToClicker } from './click.js';

export function approveRequest(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    const roles = await deps.access.rolesOf(click.actor.id);
    const outcome = await deps.runner.approve(click.value, click.actor, {
      actorIsApprover: roles.mayApprove,
    });
    if (outcome.outcome === 'approved') {
      await deps.cards.refresh(click.value);
      deps.home.changed();
      return;
    }
    if (outcome.outcome !== 'refused') return;
    if (outcome.code === 'expired') await deps.cards.refresh(click.value);
    // A redelivery's first delivery already answered; the clicker's own earlier decision needs no notice.
    const repeated = click.redelivered || outcome.existing?.actor.id === click.actor.id;
    if (repeated) return;
    await replyToClicker(deps, click, refusalText(outcome.code, outcome.message));
  };
}

/** The refusal as the clicker reads it: what happened and what to do. */
export function refusalText(code: string, message: string): string {
  switch (code) {
    case 'own_request':
      return 'You cannot approve your own request: someone else in the approvers must (two-person rule).';
    case 'not_approver':
      return 'You are not an approver, so your click changed nothing. Ask someone in the approvers group.';
    case 'expired':
      return 'This request has expired. Run `/migrate` again to get fresh checks.';
    default:
      return `Nothing changed: ${message}.`;
  }
}
