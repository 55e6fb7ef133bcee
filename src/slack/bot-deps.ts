/** What every listener receives: the engine's services and the bot's own Slack-side helpers. */
import type { Config } from '../config/schema.js';
import type { MigrationCluster, MigrationRunner } from '../engine/runner/index.js';
import type { RemoteExecutor } from '../ssh/types.js';
import type { Store } from '../store/index.js';
import type { Actor } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import type { SlackAccess } from './access/slack-access.js';
import type { HomePublisher } from './home/home-publisher.js';
import type { RebootRequests } from './reboot/reboot-requests.js';
import type { RequestCards } from './thread/request-cards.js';
import type { BotLogger } from './web/logger.js';
import type { SlackPort } from './web/slack-port.js';

/** The engine side the bot drives (what openRunner returns, plus the executor and clock). */
export interface SlackBotServices {
  runner: MigrationRunner;
  store: Store;
  cluster: MigrationCluster;
  executor: RemoteExecutor;
  clock: Clock;
}

export interface BotDeps extends SlackBotServices {
  config: Config;
  slack: SlackPort;
  access: SlackAccess;
  cards: RequestCards;
  reboots: RebootRequests;
  home: HomePublisher;
  logger: BotLogger;
}

/** A Slack user as the store records them. */
export function slackActor(user: { id: string; name?: string; username?: string }): Actor {
  const name = user.name ?? user.username;
  return { id: user.id, via: 'slack', ...(name ? { name } : {}) };
}
