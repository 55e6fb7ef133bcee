/** The user opened the App Home tab: publish it for them. */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../bot-deps.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export function appHomeOpened(deps: BotDeps) {
  return async ({ event }: Args): Promise<void> => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    await deps.home.opened(event.user);
  };
}
