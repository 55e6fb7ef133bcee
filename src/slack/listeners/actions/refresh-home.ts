/** `Refresh fleet audit` on the App Home. */
import type { BotDeps } from '../../bot-deps.js';
import type { ButtonArgs } from './click.js';

export function refreshHome(deps: BotDeps) {
  return async ({ ack }: ButtonArgs): Promise<void> => {
    await ack();
    await deps.home.refreshFleet();
  };
}
