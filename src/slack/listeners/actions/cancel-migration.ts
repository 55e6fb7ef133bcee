/** Cancel on a status message: the copy is aborted and the VM stays on its source. */
import type { BotDeps } from '../../bot-deps.js';
import { mayCancel } from '../../run/may-cancel.js';
import { type ButtonArgs, readClick, replyToClicker } from './click.js';

export function cancelMigration(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    const roles = await deps.access.rolesOf(click.actor.id);
    const allowed = await mayCancel(deps, click.value, click.actor.id, roles);
    if (!allowed.ok) {
      await replyToClicker(deps, click, allowed.message);
      return;
    }
    const outcome = await deps.runner.cancel(click.value, click.actor);
    deps.home.changed();
    if (outcome.outcome === 'refused' && !click.redelivered) {
      await replyToClicker(deps, click, `Nothing changed: ${outcome.message}.`);
    }
  };
}
