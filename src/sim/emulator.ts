import { LivemigError } from '../errors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { type ApiCall, CallLog } from './api/call-log.js';
import { RateLimiter, type RateLimitRule } from './api/rate-limits.js';
import { createHttpDelivery, type HttpDelivery } from './delivery/http-delivery.js';
import { type DisconnectReason, SocketModeServer } from './delivery/socket-mode.js';
import {
  type Delivery,
  type DeliveryOptions,
  type DeliveryResult,
  slackAckDeadlineMs,
} from './delivery/types.js';
import { type ExtraRoute, listenEmulatorHttp } from './http-server.js';
import {
  type ButtonClickInput,
  clickButton,
  clickViewButton,
  type InteractionContext,
  type InteractionOutcome,
  openHome,
  type PreparedSlashCommand,
  prepareSlashCommand,
  resolveChannel,
  resolveUser,
  runSlashCommand,
  type SlashCommandInput,
  type SlashCommandOutcome,
  type ViewButtonClickInput,
} from './interactions.js';
import { keepHistory, readSavedHistory } from './kept-history.js';
import type {
  SimBotIdentity,
  SimChannel,
  SimEphemeral,
  SimMessage,
  SimTeam,
  SimUser,
  SimUserGroup,
  SimView,
  WorkspaceListener,
} from './model/types.js';
import { Workspace } from './model/workspace.js';
import { ResponseUrls } from './response-urls.js';
import { TriggerRegistry } from './triggers.js';
import { submitView, type ViewSubmissionInput, type ViewSubmissionOutcome } from './view-submission.js';
import { createWebPageRoute } from './web/web-page.js';

export interface SlackEmulatorOptions {
  /** Workspace time: message ts, call times, response_url lifetime. Default: the system clock. */
  clock?: Clock;
  /**
   * The app's wall clock: request-signature timestamps (Bolt checks them against Date.now())
   * and trigger_id expiry. Default: the system clock.
   */
  wallClock?: Clock;
  /** 0 (default) picks a free port; always bound to 127.0.0.1. */
  port?: number;
  team?: SimTeam;
  bot?: Partial<SimBotIdentity>;
  users: SimUser[];
  channels: SimChannel[];
  groups?: SimUserGroup[];
  botToken: string;
  appToken: string;
  /** Required for HTTP delivery. */
  signingSecret?: string;
  /** Socket Mode, or signed HTTP requests to the app's request URL. */
  delivery: 'socket' | { requestUrl: string };
  /** Slack's 3000 ms by default; shorten it in tests of a slow app. */
  ackDeadlineMs?: number;
  /** Server pings on Socket Mode connections; default 5000 ms. */
  pingIntervalMs?: number;
  verificationToken?: string;
  /** Serve the web page (a Slack-like view of the workspace) at the base URL; default false. */
  webPage?: boolean;
  /**
   * Keep the channels' messages in this JSON file across restarts: read at start when present,
   * rewritten after every change (see kept-history.ts). Default: the workspace starts empty.
   */
  historyPath?: string;
}

/** A running emulated Slack workspace and the user-side operations on it. */
export interface SlackEmulator {
  /** `http://127.0.0.1:PORT/api/`: the app's `slackApiUrl`. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly workspace: Workspace;
  runSlashCommand(input: SlashCommandInput): Promise<SlashCommandOutcome>;
  /** A slash command's payload with a live response_url, for a caller that delivers it itself. */
  prepareSlashCommand(input: SlashCommandInput): PreparedSlashCommand;
  clickButton(input: ButtonClickInput): Promise<InteractionOutcome>;
  clickViewButton(input: ViewButtonClickInput): Promise<InteractionOutcome>;
  submitView(input: ViewSubmissionInput): Promise<ViewSubmissionOutcome>;
  openHome(user: string, options?: DeliveryOptions): Promise<DeliveryResult>;
  /** A channel's visible messages (top level and broadcast replies), oldest first. */
  messages(channel: string): SimMessage[];
  /** A thread: parent first, then replies. */
  thread(channel: string, threadTs: string): SimMessage[];
  /** The ephemeral messages a user has seen in a channel. */
  ephemerals(channel: string, user: string): SimEphemeral[];
  home(user: string): SimView | undefined;
  /** The user's open modals, the visible one last. */
  modals(user: string): SimView[];
  /** Web API calls so far, optionally of one method. */
  calls(method?: string): ApiCall[];
  /** The next `rule.count` calls of `method` answer HTTP 429 with Retry-After. */
  rateLimit(method: string, rule: RateLimitRule): void;
  /**
   * Holds the answers to calls of `method` (those whose arguments `which` picks) until the
   * returned function is called: a slow Slack as an app sees it. Each call's effect is applied at
   * once (a posted message is in its channel, and people can click it) while the app waits.
   */
  holdResponses(method: string, which?: (args: Record<string, unknown>) => boolean): () => void;
  /** Socket Mode: asks every client to reconnect. */
  disconnect(reason?: DisconnectReason): void;
  /** HTTP mode: changes the app's request URL (e.g. once the app listens on its port). */
  setRequestUrl(url: string): void;
  /** Socket Mode connections open now (0 in HTTP mode). */
  connectionCount(): number;
  /** Polls `probe` until it returns a value other than undefined/false; fails after timeoutMs. */
  waitFor<T>(probe: () => T | undefined | false, options?: { timeoutMs?: number }): Promise<T>;
  /** Every later workspace change; returns the unsubscribe function. */
  subscribe(listener: WorkspaceListener): () => void;
  stop(): Promise<void>;
}

const defaultTeam: SimTeam = { id: 'T0SIM0001', name: 'livemig sim', domain: 'livemig-sim' };
const defaultBot: SimBotIdentity = {
  app_id: 'A0SIM0001',
  bot_id: 'B0SIM0001',
  user_id: 'U0SIMBOT1',
  name: 'livemig',
};

/** Starts the emulated workspace on 127.0.0.1 and returns its driver. */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const clock = options.clock ?? systemClock;
  const wallClock = options.wallClock ?? systemClock;
  const ackDeadlineMs = options.ackDeadlineMs ?? slackAckDeadlineMs;
  const savedHistory = options.historyPath ? readSavedHistory(options.historyPath) : undefined;
  const workspace = new Workspace({
    clock,
    team: options.team ?? defaultTeam,
    bot: { ...defaultBot, ...options.bot },
    users: options.users,
    channels: options.channels,
    ...(options.groups ? { groups: options.groups } : {}),
    ...(savedHistory ? { savedHistory } : {}),
  });
  if (options.historyPath) keepHistory(workspace, options.historyPath);
  const triggers = new TriggerRegistry(wallClock);
  const responseUrls = new ResponseUrls(workspace, clock);
  const callLog = new CallLog();
  const rateLimiter = new RateLimiter();
  const heldMethods = new Map<
    string,
    { promise: Promise<void>; release: () => void; which: (args: Record<string, unknown>) => boolean }
  >();
  const socketMode =
    options.delivery === 'socket'
      ? new SocketModeServer({
          appId: workspace.bot.app_id,
          ackDeadlineMs,
          pingIntervalMs: options.pingIntervalMs ?? 5000,
        })
      : undefined;
  const http = socketMode ? undefined : httpDelivery(options, wallClock, ackDeadlineMs);
  const delivery: Delivery = socketMode ?? http!;
  let baseUrl = '';
  // The page needs the finished driver, which needs the bound port: bound late.
  let page: ExtraRoute | undefined;
  const { server, port } = await listenEmulatorHttp(
    {
      webApi: {
        context: {
          workspace,
          triggers,
          now: () => clock.now(),
          openSocketUrl: () => socketMode?.issueUrl(baseUrl.replace(/^http:/, 'ws:')),
          workspaceUrl: () =>
            options.webPage ? `${baseUrl}/` : `https://${workspace.team.domain}.slack.com/`,
        },
        tokens: { botToken: options.botToken, appToken: options.appToken },
        rateLimiter,
        callLog,
        held: (methodName, args) => {
          const held = heldMethods.get(methodName);
          return held?.which(args) ? held.promise : undefined;
        },
      },
      responseUrls,
      ...(socketMode ? { upgradeSocket: socketMode.handleUpgrade.bind(socketMode) } : {}),
      extra: (request, url, rawBody, response) => page?.(request, url, rawBody, response) ?? false,
    },
    options.port ?? 0,
  );
  baseUrl = `http://127.0.0.1:${port}`;
  const context: InteractionContext = {
    workspace,
    clock,
    triggers,
    responseUrls,
    delivery,
    origin: {
      team: workspace.team,
      bot: workspace.bot,
      verificationToken: options.verificationToken ?? 'sim-verification-token',
    },
    baseUrl,
  };
  const userId = (user: string): string => resolveUser(workspace, user).id;
  const channelId = (channel: string): string => resolveChannel(workspace, channel).id;
  const emulator: SlackEmulator = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    workspace,
    runSlashCommand: (input) => runSlashCommand(context, input),
    prepareSlashCommand: (input) => prepareSlashCommand(context, input),
    clickButton: (input) => clickButton(context, input),
    clickViewButton: (input) => clickViewButton(context, input),
    submitView: (input) => submitView(context, input),
    openHome: (user, deliveryOptions) => openHome(context, user, deliveryOptions),
    messages: (channel) => workspace.messages(channelId(channel)),
    thread: (channel, threadTs) => workspace.thread(channelId(channel), threadTs),
    ephemerals: (channel, user) => workspace.ephemerals(channelId(channel), userId(user)),
    home: (user) => workspace.views.home(userId(user)),
    modals: (user) => workspace.views.modalStack(userId(user)),
    calls: (method) => callLog.list(method),
    rateLimit: (method, rule) => rateLimiter.limit(method, rule),
    holdResponses: (method, which = () => true) => {
      let release: () => void = () => undefined;
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      heldMethods.set(method, { promise, release, which });
      return () => {
        if (heldMethods.get(method)?.promise === promise) heldMethods.delete(method);
        release();
      };
    },
    disconnect: (reason) => socketMode?.disconnect(reason),
    setRequestUrl: (url) => {
      if (!http)
        throw new LivemigError('usage', 'the emulator delivers over Socket Mode, not to a request URL');
      http.setRequestUrl(url);
    },
    connectionCount: () => socketMode?.connectionCount() ?? 0,
    waitFor: (probe, waitOptions) => pollUntil(probe, waitOptions?.timeoutMs ?? 2000),
    subscribe: (listener) => workspace.subscribe(listener),
    async stop() {
      for (const held of heldMethods.values()) held.release();
      await delivery.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  if (options.webPage) page = createWebPageRoute(emulator);
  return emulator;
}

function httpDelivery(options: SlackEmulatorOptions, wallClock: Clock, ackDeadlineMs: number): HttpDelivery {
  if (options.delivery === 'socket') throw new LivemigError('usage', 'HTTP delivery needs a request URL');
  if (!options.signingSecret) {
    throw new LivemigError('usage', 'HTTP delivery needs signingSecret', {
      hint: 'pass the same secret as the app',
    });
  }
  return createHttpDelivery({
    requestUrl: options.delivery.requestUrl,
    signingSecret: options.signingSecret,
    wallClock,
    ackDeadlineMs,
  });
}

/** Real-time polling: the app answers over real sockets, so its effects arrive in real time. */
async function pollUntil<T>(probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new LivemigError(
        'wait_timeout',
        `the emulated workspace did not reach the expected state within ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
