/** Cancel on a request card (before approval): the requester withdraws it, or an approver does. */
import type { BotDeps } from '../../bot-deps.js';
import { mayCancel } from '../../run/may-cancel.js';
import { type ButtonArgs, readClick, replyToClicker } from './click.js';

export function cancelRequest(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    const roles = await deps.access.rolesOf(click.actor.id);
    const allowed = await mayCancel(deps, click.value, click.actor.id, roles);
    const outcome = allowed.ok ? await deps.runner.cancel(click.value, click.actor) : null;
    if (outcome?.outcome === 'cancelled') {
      await deps.cards.refresh(click.value);
      deps.home.changed();
      return;
    }
    if (click.redelivered) return;
    const text = allowed.ok ? `Nothing changed: ${outcome?.message ?? ''}.` : allowed.message;
    await replyToClicker(deps, click, text);
  };
}
