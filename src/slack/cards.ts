/**
 * Posts and redraws the cards of requests: a migration request's card (with the reboot warning in
 * its thread when the VM needs a hard reboot first) and a hard-reboot request's card. Where a card
 * is lives with the request in the core's records, so a restarted bot redraws the same message.
 */
import type { CommandCore } from '../../commands/core.js';
import type { RequestRecord } from '../../commands/types.js';
import { checklistReply } from './blocks/checklist.js';
import type { SlackMessage } from './blocks/kit.js';
import { rebootCard, rebootWarning } from './blocks/reboot-blocks.js';
import { requestCard } from './blocks/request-card.js';
import type { SlackPort } from './slack-port.js';

export class RequestCards {
  /** `posting`: told when a card's post starts; the function it returns, when the post ended. */
  constructor(
    private readonly deps: {
      core: CommandCore;
      slack: SlackPort;
      posting?: (requestId: string) => () => void;
    },
  ) {}

  /**
   * Posts the card of `request` in `channel` (in a thread when given) and records where. Returns
   * the card's ts, or null when Slack refused the post.
   */
  async post(request: RequestRecord, channel: string, threadTs?: string): Promise<string | null> {
    const ended = this.deps.posting?.(request.id);
    try {
      return await this.#post(request, channel, threadTs);
    } finally {
      ended?.();
    }
  }

  async #post(request: RequestRecord, channel: string, threadTs?: string): Promise<string | null> {
    const card = cardOf(request);
    const ts = await this.deps.slack.post(channel, card, threadTs);
    if (ts === null) return null;
    await this.deps.core.attachSlack(request.id, { channel, ts, threadTs: threadTs ?? ts });
    // Someone can decide as soon as the card shows, before it was known where it is: the card then
    // shows the decision now, not its buttons.
    const now = this.deps.core.request(request.id);
    if (now && JSON.stringify(cardOf(now)) !== JSON.stringify(card)) await this.refresh(request.id);
    if (request.kind !== 'reboot' && request.checks?.needsHardReboot) {
      await this.deps.slack.post(channel, rebootWarning(request.vm, rebootWarningText(request)), ts);
    }
    if (request.kind !== 'reboot' && request.checks) {
      await this.deps.slack.post(channel, checklistReply(request.checks), ts);
    }
    return ts;
  }

  /** Redraws the card of `requestId` as the core has it now. */
  async refresh(requestId: string): Promise<void> {
    const request = this.deps.core.request(requestId);
    const channel = request?.slack?.channel;
    const ts = request?.slack?.ts;
    if (!request || !channel || !ts) return;
    await this.deps.slack.update(channel, ts, cardOf(request));
  }
}

function cardOf(request: RequestRecord): SlackMessage {
  return request.kind === 'reboot' ? rebootCard(request) : requestCard(request);
}

/** Why the VM needs a hard reboot, from its check, with what a soft reboot would not do. */
export function rebootWarningText(request: RequestRecord): string {
  const check = request.checks?.checks.find((c) => c.id === 'cpu-reboot');
  const why = check ? `${check.explanation.replace(/[.\s]+$/, '')}. ` : '';
  return `${why}${request.vm.name} needs a HARD reboot (nova reboot --hard) once before it can migrate; a soft reboot keeps the old CPU.`;
}
