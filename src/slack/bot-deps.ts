/** What every listener receives: the command core and the bot's own Slack-side helpers. */
import type { CommandCore } from '../../commands/core.js';
import type { Actor, Caller } from '../../commands/types.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../util/clock.js';
import type { SlackAccess } from './access.js';
import type { RequestCards } from './cards.js';
import type { DrainThreads } from './drain-threads.js';
import type { HomePublisher } from './home.js';
import type { BotLogger } from './logger.js';
import type { SlackPort } from './slack-port.js';

export interface BotDeps {
  config: Config;
  core: CommandCore;
  clock: Clock;
  slack: SlackPort;
  access: SlackAccess;
  cards: RequestCards;
  /** Drains' and campaigns' cards and threads. */
  drains: DrainThreads;
  home: HomePublisher;
  logger: BotLogger;
}

/** A Slack user as the core records them. */
export function slackActor(user: { id: string; name?: string; username?: string }): Actor {
  const name = user.name ?? user.username;
  return { id: user.id, via: 'slack', ...(name ? { name } : {}) };
}

/** The Slack user as a caller of the core, with their roles now (config.approval and groups). */
export async function slackCaller(
  deps: Pick<BotDeps, 'access'>,
  user: { id: string; name?: string; username?: string },
): Promise<Caller> {
  const roles = await deps.access.rolesOf(user.id);
  return { actor: slackActor(user), ...roles, surface: 'slack', confirm: null };
}
