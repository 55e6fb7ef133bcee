/**
 * The bot's entry: builds the Bolt App (Socket Mode with SLACK_APP_TOKEN, else signed HTTP with
 * SLACK_SIGNING_SECRET), wires the listeners, the thread updater, the Home and the expiry sweep,
 * and on start reconciles the runner so unfinished migrations re-attach to their threads.
 */
import { App } from '@slack/bolt';
import type { CommandCore } from '../../commands/core.js';
import type { RequestRecord } from '../../commands/types.js';
import type { Secrets } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { LivemigError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { SlackAccess } from './access.js';
import { errorReply } from './blocks/command-reply.js';
import type { BotDeps } from './bot-deps.js';
import { RequestCards } from './cards.js';
import { DrainThreads } from './drain-threads.js';
import { HomePublisher } from './home.js';
import { registerListeners, sweepExpired } from './listeners/index.js';
import { type BotLogger, boltLogger, consoleLogger, describeError } from './logger.js';
import { StatusNotifier } from './notifier.js';
import { ThreadReceiver } from './receiver/thread-receiver.js';
import { createSlackPort } from './slack-port.js';
import { ThreadUpdater } from './threads.js';

/** Timings tests shorten; production uses the defaults. */
export interface SlackBotTuning {
  /** Minimum time between two edits of one status message (default 3000 ms of the clock). */
  statusIntervalMs: number;
  /** Global chat.update budget (default bursts of 10, 50 a minute). */
  updateBudget: { capacity: number; perMinute: number };
  /** Real-time period of the expiry sweep (default 30 s; expiry itself is judged on the clock). */
  sweepIntervalMs: number;
  /** How long user-group members are trusted (default 60 s of the clock). */
  groupCacheMs: number;
  /** Delay gathering App Home changes (default 2 s of the clock). */
  homeDebounceMs: number;
}

export interface SlackBotOptions {
  config: Config;
  secrets: Secrets;
  /** The command core over the engine's services (src/bot.ts builds it). */
  core: CommandCore;
  /** The clock every time a user sees comes from (in the demo: the lab's). */
  clock: Clock;
  logger?: BotLogger;
  /** HTTP mode: the interface to listen on (default all; tests use 127.0.0.1). */
  host?: string;
  tuning?: Partial<SlackBotTuning>;
}

export interface SlackBot {
  /** Reconciles the runner, then connects (Socket Mode) or listens (HTTP). */
  start(): Promise<void>;
  /** Disconnects; running migrations keep running in the runner. */
  stop(): Promise<void>;
  /** HTTP mode: the port listened on once started; null in Socket Mode. */
  readonly port: number | null;
  /** Resolves when every queued Slack update went out (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/** The production bot for `config` and the Slack secrets from the environment. */
export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { config, secrets, core, clock } = options;
  const logger = options.logger ?? consoleLogger;
  const tuning = options.tuning ?? {};
  const token = secrets.slackBotToken;
  if (!token)
    throw new LivemigError('config_missing', 'SLACK_BOT_TOKEN is not set', {
      hint: "Set SLACK_BOT_TOKEN to the bot token (xoxb-…) from the app's OAuth & Permissions page.",
    });
  const socketMode = secrets.slackAppToken !== undefined;
  if (!socketMode && !secrets.slackSigningSecret) {
    throw new LivemigError('config_missing', 'neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is set', {
      hint: 'Set SLACK_APP_TOKEN (xapp-…, Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode, with PORT).',
    });
  }
  const clientOptions = {
    ...(secrets.slackApiUrl ? { slackApiUrl: secrets.slackApiUrl } : {}),
    // Short and bounded: WebClient's default keeps retrying for ~30 minutes. Rate-limited calls
    // wait Retry-After and retry instead of failing at once.
    retryConfig: { retries: 2, factor: 1.5, minTimeout: 200, maxTimeout: 5000 },
    rejectRateLimitedCalls: false,
  };
  // Slack talks to a thread of its own that acknowledges at once (src/slack/receiver/): the
  // listeners' work on this thread never delays an ack.
  const receiver = new ThreadReceiver(
    socketMode
      ? // A copy: App adds its logger (a function, which cannot reach a thread) to the object it gets.
        { mode: 'socket', appToken: secrets.slackAppToken!, clientOptions: { ...clientOptions } }
      : {
          mode: 'http',
          signingSecret: secrets.slackSigningSecret!,
          port: secrets.port ?? 3000,
          ...(options.host ? { host: options.host } : {}),
        },
    logger,
  );
  const app = new App({ token, receiver, clientOptions, logger: boltLogger(logger) });
  const slack = createSlackPort(app.client, logger);
  const notifier = new StatusNotifier({
    clock,
    logger,
    ...(tuning.statusIntervalMs === undefined ? {} : { minIntervalMs: tuning.statusIntervalMs }),
    ...(tuning.updateBudget ? { budget: tuning.updateBudget } : {}),
  });
  const home = new HomePublisher({
    core,
    clock,
    slack,
    logger,
    ...(tuning.homeDebounceMs === undefined ? {} : { debounceMs: tuning.homeDebounceMs }),
  });
  // What a migration approved from a card still being posted did meanwhile follows the card.
  const cards = new RequestCards({
    core,
    slack,
    posting: (requestId): (() => void) => threads.postingCard(requestId),
  });
  const drains = new DrainThreads({
    core,
    slack,
    notifier,
    clock,
    notificationChannel: config.slack.notificationChannel,
    logger,
    onChange: () => home.changed(),
  });
  const deps: BotDeps = {
    drains,
    config,
    core,
    clock,
    slack,
    logger,
    home,
    cards,
    access: new SlackAccess({
      approval: config.approval,
      fetchMembers: (group) => slack.usergroupMembers(group),
      clock,
      ...(tuning.groupCacheMs === undefined ? {} : { cacheMs: tuning.groupCacheMs }),
    }),
  };
  const threads = new ThreadUpdater({
    core,
    slack,
    notifier,
    cards,
    notificationChannel: config.slack.notificationChannel,
    logger,
    onChange: () => home.changed(),
  });
  app.error(async (error) => logger.error(`listener failed: ${describeError(error)}`));
  registerListeners(app, deps);

  let unsubscribe: (() => void)[] = [];
  let sweep: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> = Promise.resolve();
  return {
    get port() {
      return receiver.port;
    },
    async start() {
      // Subscribe first: the events of migrations reconcile resumes go to their threads.
      unsubscribe = [
        core.subscribe((event) => {
          threads.handle(event);
          drains.handleProgress(event);
        }),
        core.subscribeDrains((event) => drains.handleDrain(event)),
        core.subscribeCampaigns((event) => drains.handleCampaign(event)),
      ];
      await slack.identify();
      for (const request of await core.reconcile()) await tellInterrupted(deps, request);
      await app.start();
      sweep = setInterval(() => {
        sweeping = sweeping
          .then(() => sweepExpired(deps))
          .catch((error: unknown) => logger.warn(`expiry sweep: ${describeError(error)}`));
      }, tuning.sweepIntervalMs ?? 30_000);
      sweep.unref();
    },
    async stop() {
      if (sweep) clearInterval(sweep);
      for (const stop of unsubscribe) stop();
      notifier.close();
      home.close();
      await sweeping;
      await app.stop();
    },
    async idle() {
      await receiver.idle();
      await threads.idle();
      await drains.idle();
      await home.idle();
      await sweeping;
    },
  };
}

/**
 * A request whose checks were running when the bot stopped failed at the restart: its requester
 * only saw "⏳ Checking…", so tell them, where they typed the command, what happened and what to do.
 */
async function tellInterrupted(deps: BotDeps, request: RequestRecord): Promise<void> {
  const channel = request.slack?.channel;
  if (!channel || request.requester.via !== 'slack') return;
  const text =
    `Your request to migrate ${request.vm.name} to ${request.destination} (${request.id}) failed: ` +
    'livemig restarted while it was running the checks, so nothing was changed. Run /migrate again to check it anew.';
  await deps.slack.ephemeral(channel, request.requester.id, errorReply(text));
}
