/**
 * Follows the runner's events into each migration's Slack thread: one status message edited in
 * place (through the coalescing notifier), milestone replies, the final summary or the failure,
 * and notices in the notification channel. Slack refs live in the store, so a restarted bot
 * re-attaches to the same thread and status message. Nothing here blocks the runner.
 */
import type { CommandCore } from '../../commands/core.js';
import type { MigrationRecord, ProgressEvent, ProgressSnapshot, SlackRefs } from '../../commands/types.js';
import type { SlackMessage } from './blocks/kit.js';
import { statusMessage } from './blocks/status-message.js';
import {
  cancelledReply,
  failedReply,
  finishedReply,
  milestoneReply,
  notificationMessage,
  rebootFinishedReply,
} from './blocks/thread-replies.js';
import type { RequestCards } from './cards.js';
import { KeyedChains } from './keyed-chains.js';
import type { BotLogger } from './logger.js';
import type { StatusNotifier } from './notifier.js';
import type { SlackPort } from './slack-port.js';

export interface ThreadUpdaterOptions {
  core: CommandCore;
  slack: SlackPort;
  notifier: StatusNotifier;
  /** Redraws a reboot request's card when its reboot starts and ends. */
  cards: RequestCards;
  notificationChannel: string | undefined;
  logger: BotLogger;
  /** Something a viewer of the App Home would see changed. */
  onChange: () => void;
}

type Thread = { channel: string; threadTs: string };

export class ThreadUpdater {
  readonly #o: ThreadUpdaterOptions;
  /** Per migration: replies in order, after the status message exists. */
  readonly #chains: KeyedChains;
  readonly #statusTs = new Map<string, string | null>();
  readonly #progress = new Map<string, Omit<ProgressSnapshot, 'at'>>();
  readonly #queue = new Map<string, { position: number; reason: string }>();
  /**
   * Per request whose card is being posted: the events of its migration so far. An approver can
   * click as soon as the card shows, before the bot knows where it is; these go to the thread once
   * it does (postingCard).
   */
  readonly #early = new Map<string, ProgressEvent[]>();

  constructor(options: ThreadUpdaterOptions) {
    this.#o = options;
    this.#chains = new KeyedChains(options.logger);
  }

  /** The runner's listener: queues the Slack work and returns at once. */
  handle(event: ProgressEvent): void {
    if (event.kind === 'reboot_started' || event.kind === 'reboot_finished') {
      this.#enqueue(event.requestId, () => this.#o.cards.refresh(event.requestId));
      const refs = this.#o.core.request(event.requestId)?.slack;
      const thread = threadOf(refs);
      if (event.kind === 'reboot_finished' && thread && event.result !== 'not_needed')
        this.#enqueue(event.requestId, async () => {
          await this.#o.slack.post(
            thread.channel,
            rebootFinishedReply(event.result, event.message),
            thread.threadTs,
          );
        });
      this.#o.onChange();
      return;
    }
    const id = event.migrationId;
    if (id === null) return;
    const m = this.#o.core.migration(id);
    const thread = m && threadOf(m.slack);
    if (m && !thread) this.#keepEarly(m.requestId, event);
    if (!m || !thread) return;
    switch (event.kind) {
      case 'progress': {
        const { kind: _kind, migrationId: _m, requestId: _r, vm: _vm, at: _at, ...numbers } = event;
        this.#progress.set(id, numbers);
        break;
      }
      case 'queued':
        this.#queue.set(id, { position: event.position, reason: event.reason });
        break;
      case 'milestone':
        this.#reply(m, thread, milestoneReply(event));
        if (event.milestone === 'migration_started') this.#notify(m, thread, 'started');
        break;
      case 'finished':
        this.#reply(m, thread, finishedReply(event, m.destination));
        this.#notify(m, thread, 'succeeded');
        break;
      case 'failed':
        this.#reply(m, thread, failedReply(event));
        this.#notify(m, thread, 'failed', event.message);
        break;
      case 'cancelled':
        this.#reply(m, thread, cancelledReply(event));
        this.#notify(m, thread, 'cancelled', event.message);
        break;
      case 'phase':
      case 'reboot_warning':
        break;
    }
    this.#scheduleStatus(id, thread);
    if (event.kind !== 'progress') this.#o.onChange();
  }

  /**
   * The card of `requestId` is being posted: its migration's events wait for it. Call the returned
   * function once the card's place is recorded (or the post failed): what the migration did
   * meanwhile goes to the thread then, in order (nowhere, when there is no card).
   */
  postingCard(requestId: string): () => void {
    this.#early.set(requestId, []);
    return () => {
      const early = this.#early.get(requestId) ?? [];
      this.#early.delete(requestId);
      for (const event of early) this.handle(event);
    };
  }

  #keepEarly(requestId: string, event: ProgressEvent): void {
    const kept = this.#early.get(requestId);
    if (!kept) return;
    // Only the newest progress counts: the status message shows the latest numbers.
    if (event.kind === 'progress' && kept.at(-1)?.kind === 'progress') kept.pop();
    kept.push(event);
  }

  /** Resolves when every queued reply and status edit went out (or failed). */
  async idle(): Promise<void> {
    await this.#chains.idle(() => this.#o.notifier.idle());
  }

  #scheduleStatus(id: string, thread: Thread): void {
    this.#ensureStatus(id, thread);
    this.#o.notifier.schedule(id, async () => {
      await this.#chains.settled(id);
      const ts = this.#statusTs.get(id);
      const m = this.#o.core.migration(id);
      if (!ts || !m) return;
      await this.#o.slack.update(thread.channel, ts, this.#statusOf(m));
      if (isFinished(m)) this.#forget(id);
    });
  }

  #statusOf(m: MigrationRecord): SlackMessage {
    return statusMessage({
      migration: m,
      progress: this.#progress.get(m.id) ?? m.progress ?? null,
      queue: this.#queue.get(m.id) ?? null,
    });
  }

  /** Posts the status message once (a restarted bot finds its ts in the store). */
  #ensureStatus(id: string, thread: Thread): void {
    if (this.#statusTs.has(id)) return;
    const known = this.#o.core.migration(id)?.slack?.statusTs;
    if (known) {
      this.#statusTs.set(id, known);
      return;
    }
    this.#statusTs.set(id, null);
    this.#enqueue(id, async () => {
      const m = this.#o.core.migration(id);
      if (!m) return;
      const ts = await this.#o.slack.post(thread.channel, this.#statusOf(m), thread.threadTs);
      if (ts === null) {
        // Posting failed: try again with the next event.
        this.#statusTs.delete(id);
        return;
      }
      this.#statusTs.set(id, ts);
      await this.#o.core.attachSlack(m.requestId, { statusTs: ts });
    });
  }

  #reply(m: MigrationRecord, thread: Thread, message: SlackMessage): void {
    this.#ensureStatus(m.id, thread);
    this.#enqueue(m.id, async () => {
      await this.#o.slack.post(thread.channel, message, thread.threadTs);
    });
  }

  #notify(
    m: MigrationRecord,
    thread: Thread,
    kind: 'started' | 'succeeded' | 'failed' | 'cancelled',
    detail?: string,
  ): void {
    const channel = this.#o.notificationChannel;
    if (!channel) return;
    this.#enqueue(m.id, async () => {
      const link = this.#o.slack.permalink(thread.channel, thread.threadTs);
      const about = {
        vm: m.vm.name,
        source: m.source,
        destination: m.destination,
        ...(detail ? { detail } : {}),
      };
      await this.#o.slack.post(channel, notificationMessage(kind, about, link));
    });
  }

  #enqueue(id: string, work: () => Promise<void>): void {
    this.#chains.enqueue(id, work);
  }

  #forget(id: string): void {
    this.#chains.forget(id, () => {
      this.#progress.delete(id);
      this.#queue.delete(id);
      this.#o.notifier.forget(id);
    });
  }
}

function threadOf(refs: SlackRefs | undefined): Thread | null {
  const threadTs = refs?.threadTs ?? refs?.ts;
  return refs?.channel && threadTs ? { channel: refs.channel, threadTs } : null;
}

function isFinished(m: MigrationRecord): boolean {
  return m.state === 'succeeded' || m.state === 'failed' || m.state === 'cancelled';
}
