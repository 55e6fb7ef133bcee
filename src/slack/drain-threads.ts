/**
 * Follows drains and maintenance campaigns into their Slack threads: the drain's card and its one
 * status message (edited in place through the coalescing notifier, with each running copy's
 * progress from the runner's events), milestones in the thread, the campaign's card and its "do
 * your maintenance, then press Done" messages, and start/end notices in the notification channel.
 * Where each message is lives in the records, so a restarted bot edits the same ones. A drain of
 * a campaign posts in the campaign's thread. Nothing here blocks a drain.
 */
import type { CommandCore } from '../../commands/core.js';
import type { ProgressEvent } from '../../commands/types.js';
import type { CampaignEvent, DrainEvent } from '../engine/drain/index.js';
import type { CampaignRecord, DrainRecord, SlackRefs } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import {
  campaignCard,
  campaignLine,
  drainCard,
  drainMilestone,
  drainNotice,
  drainPlanReply,
  drainStatus,
  hostReadyMessage,
  type MoveProgress,
  noticeMessage,
} from './blocks/drain-blocks.js';
import type { SlackMessage } from './blocks/kit.js';
import { KeyedChains } from './keyed-chains.js';
import type { BotLogger } from './logger.js';
import type { StatusNotifier } from './notifier.js';
import type { SlackPort } from './slack-port.js';

export interface DrainThreadsOptions {
  core: CommandCore;
  slack: SlackPort;
  notifier: StatusNotifier;
  clock: Clock;
  notificationChannel: string | undefined;
  logger: BotLogger;
  onChange: () => void;
}

type Thread = { channel: string; threadTs: string };

export class DrainThreads {
  readonly #o: DrainThreadsOptions;
  /** Per drain or campaign: its Slack work in order. */
  readonly #chains: KeyedChains;
  /** Fraction of memory sent per running migration of a drain. */
  readonly #progress: MoveProgress = new Map();

  constructor(options: DrainThreadsOptions) {
    this.#o = options;
    this.#chains = new KeyedChains(options.logger);
  }

  /**
   * Posts a new drain's card where it belongs, the plan in its thread; the card's ts, or null. In
   * the drain's chain: someone can press Approve as soon as the card shows, before its refs are
   * recorded, and the approval's card edit, notice and status message then wait for them.
   */
  postDrainCard(drain: DrainRecord, channel: string): Promise<string | null> {
    return this.#chains.run(drain.id, async () => {
      const ts = await this.#o.slack.post(channel, drainCard(drain));
      if (ts === null) return null;
      await this.#o.core.attachDrainSlack(drain.id, { channel, ts, threadTs: ts });
      await this.#o.slack.post(channel, drainPlanReply(drain), ts);
      return ts;
    });
  }

  /** Posts a campaign's card and records where, in the campaign's chain (see postDrainCard). */
  postCampaignCard(campaign: CampaignRecord, channel: string): Promise<string | null> {
    return this.#chains.run(campaign.id, async () => {
      const ts = await this.#o.slack.post(channel, campaignCard(campaign));
      if (ts === null) return null;
      await this.#o.core.attachCampaignSlack(campaign.id, { channel, ts, threadTs: ts });
      return ts;
    });
  }

  /** The runner's events: a drain's running copy shows its progress on the drain's status. */
  handleProgress(event: ProgressEvent): void {
    if (event.kind !== 'progress' || event.migrationId === null) return;
    const drainId = this.#o.core.request(event.requestId)?.drainId;
    if (!drainId) return;
    const total = event.memoryTotalBytes;
    this.#progress.set(event.migrationId, total > 0 ? 1 - event.memoryRemainingBytes / total : 0);
    const drain = this.#o.core.drain(drainId);
    if (drain) this.#scheduleStatus(drain);
  }

  handleDrain(event: DrainEvent): void {
    const { drain } = event;
    this.#enqueue(drain.id, async () => {
      const refs = await this.#refsOf(drain);
      const thread = threadOf(refs);
      if (!thread) return;
      const now = this.#o.core.drain(drain.id) ?? drain;
      if (refs?.ts) await this.#o.slack.update(thread.channel, refs.ts, drainCard(now));
      if (event.kind === 'plan_changed')
        await this.#o.slack.post(thread.channel, drainPlanReply(now), thread.threadTs);
      const milestone = drainMilestone(now, event.move, event.kind);
      if (milestone) await this.#o.slack.post(thread.channel, milestone, thread.threadTs);
      // The notice says what happened (the drain as the event left it), however late it goes out.
      if (event.kind === 'approved' || event.kind === 'finished' || event.kind === 'cancelled')
        await this.#notify(drain, thread);
    });
    if (event.kind !== 'rejected' && event.kind !== 'expired' && event.kind !== 'plan_changed')
      this.#scheduleStatus(drain);
    this.#o.onChange();
  }

  handleCampaign(event: CampaignEvent): void {
    const { campaign } = event;
    this.#enqueue(campaign.id, async () => {
      const thread = threadOf(campaign.slack);
      const now = this.#o.core.campaign(campaign.id) ?? campaign;
      if (!thread) return;
      if (campaign.slack?.ts)
        await this.#o.slack.update(thread.channel, campaign.slack.ts, campaignCard(now));
      const post = (message: SlackMessage) => this.#o.slack.post(thread.channel, message, thread.threadTs);
      const host = event.host;
      switch (event.kind) {
        case 'host_started':
          await post(campaignLine(`🚚 ${host!.host}: draining (${event.drain?.id}).`));
          if (event.drain) await post(drainPlanReply(event.drain));
          break;
        case 'host_ready':
          await post(hostReadyMessage(now, host!.host, host!.message ?? `${host!.host} is drained.`));
          break;
        case 'host_returning':
          await post(
            campaignLine(
              `↩️ ${host!.host}: Done by ${event.actor?.name ?? event.actor?.id}; enabling it again${now.options.returnVms ? ' and bringing its VMs back' : ''}.`,
            ),
          );
          break;
        case 'host_done':
          await post(campaignLine(`✅ ${host!.message ?? `${host!.host} is done.`}`));
          break;
        case 'finished':
          await post(
            campaignLine(
              `🏁 Maintenance of ${now.hosts.map((h) => h.host).join(', ')} finished: every host is enabled again.`,
            ),
          );
          await this.#notifyText(
            `🏁 Maintenance of ${now.hosts.map((h) => h.host).join(', ')} finished`,
            thread,
          );
          break;
        case 'cancelled':
          await post(campaignLine(`🛑 Maintenance ${now.id} ${now.message ?? 'cancelled'}.`));
          break;
        case 'approved':
          await this.#notifyText(
            `🔧 Maintenance of ${now.hosts.map((h) => h.host).join(', ')} started`,
            thread,
          );
          break;
        default:
          break;
      }
    });
    this.#o.onChange();
  }

  /** Resolves when every queued post and edit went out (or failed). */
  async idle(): Promise<void> {
    await this.#chains.idle(() => this.#o.notifier.idle());
  }

  /**
   * Where the drain's messages go: its own card's thread, or (a campaign's drain) the campaign's
   * thread, recorded on the drain the first time.
   */
  async #refsOf(drain: DrainRecord): Promise<SlackRefs | undefined> {
    const known = this.#o.core.drain(drain.id)?.slack;
    if (known?.threadTs || !drain.campaignId) return known;
    const campaign = this.#o.core.campaign(drain.campaignId)?.slack;
    if (!campaign?.channel || !campaign.threadTs) return known;
    const refs = { channel: campaign.channel, threadTs: campaign.threadTs };
    await this.#o.core.attachDrainSlack(drain.id, refs);
    return refs;
  }

  #scheduleStatus(drain: DrainRecord): void {
    this.#o.notifier.schedule(drain.id, async () => {
      await this.#chains.settled(drain.id);
      const now = this.#o.core.drain(drain.id);
      const thread = threadOf(now?.slack);
      if (!now || !thread) return;
      const status = drainStatus(now, this.#progress, this.#o.clock.now());
      if (now.slack?.statusTs) {
        await this.#o.slack.update(thread.channel, now.slack.statusTs, status);
      } else {
        const ts = await this.#o.slack.post(thread.channel, status, thread.threadTs);
        if (ts !== null) await this.#o.core.attachDrainSlack(now.id, { statusTs: ts });
      }
      if (now.state === 'finished' || now.state === 'cancelled') {
        for (const m of now.moves) if (m.migrationId) this.#progress.delete(m.migrationId);
      }
    });
  }

  async #notify(drain: DrainRecord, thread: Thread): Promise<void> {
    const channel = this.#o.notificationChannel;
    if (!channel) return;
    await this.#o.slack.post(
      channel,
      drainNotice(drain, this.#o.slack.permalink(thread.channel, thread.threadTs)),
    );
  }

  async #notifyText(text: string, thread: Thread): Promise<void> {
    const channel = this.#o.notificationChannel;
    if (!channel) return;
    const link = this.#o.slack.permalink(thread.channel, thread.threadTs);
    await this.#o.slack.post(channel, noticeMessage(text, link));
  }

  #enqueue(id: string, work: () => Promise<void>): void {
    this.#chains.enqueue(id, work);
  }
}

function threadOf(refs: SlackRefs | undefined): Thread | null {
  const threadTs = refs?.threadTs ?? refs?.ts;
  return refs?.channel && threadTs ? { channel: refs.channel, threadTs } : null;
}
