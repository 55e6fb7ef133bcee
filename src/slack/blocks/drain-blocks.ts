/**
 * Drains and maintenance campaigns on Slack: the approval card of a drain (a summary line, what
 * cannot move, a plan that changed at the re-check; the per-VM plan is a reply in its thread), the
 * one status message of a running drain (a line per VM, overall progress with an ETA, Pause /
 * Resume / Cancel), the campaign's card, and the "do your maintenance, then press Done" message.
 */
import { courseOf, moveLine, renderPlan, sourceLines } from '../../../commands/drain.js';
import type { CampaignRecord, DrainMoveRecord, DrainRecord } from '../../store/types.js';
import { formatDuration } from '../../util/format.js';
import { textResultReply } from './command-reply.js';
import {
  actions,
  type Block,
  button,
  confirmDialog,
  context,
  escapeText,
  header,
  mention,
  message,
  type SlackMessage,
  section,
  slackDate,
} from './kit.js';

export const drainActionIds = {
  approve: 'drain_approve',
  reject: 'drain_reject',
  pause: 'drain_pause',
  resume: 'drain_resume',
  cancel: 'drain_cancel',
} as const;

export const campaignActionIds = {
  approve: 'campaign_approve',
  reject: 'campaign_reject',
  done: 'campaign_done',
  cancel: 'campaign_cancel',
} as const;

/** At most this many VMs that cannot move are on the card; the thread's plan lists them all. */
const leftOnCard = 5;

function titleOf(drain: DrainRecord): string {
  return drain.kind === 'return'
    ? `Move back to ${drain.returnOf!.host} (drain ${drain.returnOf!.drainId})`
    : `Drain ${drain.sources.join(', ')}`;
}

/** The approval card: compact, decision first. */
export function drainCard(drain: DrainRecord): SlackMessage {
  const blocks: Block[] = [header(titleOf(drain)), section(summaryLine(drain))];
  for (const vm of drain.left.slice(0, leftOnCard)) {
    blocks.push(
      section(
        `⛔ *${escapeText(vm.vm.name)}* stays on ${escapeText(vm.source)}: ${escapeText(vm.explanation)}\n_Fix:_ ${escapeText(vm.fix)}`,
      ),
    );
  }
  if (drain.left.length > leftOnCard)
    blocks.push(context(`… and ${drain.left.length - leftOnCard} more in the plan (thread).`));
  if (drain.planChanges && drain.state === 'awaiting_approval') {
    blocks.push(
      section(
        `⚠️ *The plan changed at the re-check* — this is the new plan; approve again to go ahead:\n${drain.planChanges.map((c) => `• ${escapeText(c)}`).join('\n')}`,
      ),
    );
  }
  if (drain.options.acceptedDowntimeMs !== undefined)
    blocks.push(
      section(
        `🛑 *Accepted pause: up to ${formatDuration(drain.options.acceptedDowntimeMs)}* per VM (--accept-downtime).`,
      ),
    );
  blocks.push(...decisionBlocks(drain));
  blocks.push(context(`${drain.id} · the per-VM plan is in the thread`));
  return message(
    `${drain.state === 'awaiting_approval' ? 'Approval needed' : drain.state}: ${titleOf(drain)}`,
    blocks,
  );
}

function summaryLine(drain: DrainRecord): string {
  const parts = [`*${drain.moves.length} VM(s) move, ${drain.left.length} cannot*`];
  if (drain.moves.length > 0)
    parts.push(
      `predicted ~${formatDuration(drain.predictedMakespanMs)} (no schedule beats ~${formatDuration(drain.lowerBoundMs)})`,
    );
  parts.push(`requested by ${mention(drain.requester)}`);
  const failing = drain.options.continueOnFailure
    ? 'goes on after a failure'
    : 'stops new starts at the first failure';
  return `${parts.join(' · ')}\nnova-compute on ${escapeText(drain.kind === 'return' ? drain.returnOf!.host : drain.sources.join(', '))} ${drain.kind === 'return' ? 'is enabled' : 'is disabled first'}; the drain ${failing}.`;
}

function decisionBlocks(drain: DrainRecord): Block[] {
  if (drain.state === 'awaiting_approval') {
    return [
      context(`Awaiting approval · expires ${slackDate(drain.expiresAt)}`),
      actions('drain_decision', [
        button(drainActionIds.approve, 'Approve', drain.id, {
          style: 'primary',
          confirm: confirmDialog({
            title: 'Start the drain?',
            text: `livemig plans again first: if anything changed you see the new plan instead. Then ${drain.kind === 'return' ? 'it moves the VMs back' : `it disables nova-compute on ${escapeText(drain.sources.join(', '))} and moves ${drain.moves.length} VM(s)`}, each with its own pre-flight.`,
            confirm: 'Approve',
            deny: 'Not yet',
          }),
        }),
        button(drainActionIds.reject, 'Reject', drain.id, { style: 'danger' }),
        button(drainActionIds.cancel, 'Cancel request', drain.id),
      ]),
    ];
  }
  const decision = drain.decisions.find((d) => d.kind !== 'approved') ?? drain.decisions.at(-1);
  if (!decision) return [context(`*${drain.state.replaceAll('_', ' ')}*`)];
  const reason = decision.reason ? ` — “${escapeText(decision.reason)}”` : '';
  const who = decision.kind === 'expired' ? '' : ` by ${mention(decision.actor)}`;
  const approved = drain.decisions.find((d) => d.kind === 'approved');
  const lines = [approved ? `*APPROVED* by ${mention(approved.actor)} at ${slackDate(approved.at)}` : null];
  if (decision !== approved)
    lines.push(`*${decision.kind.toUpperCase()}*${who} at ${slackDate(decision.at)}${reason}`);
  return [context(lines.filter((l) => l !== null).join(' · '))];
}

/** The per-VM plan, posted in the card's thread. */
export function drainPlanReply(drain: DrainRecord): SlackMessage {
  return textResultReply(`Plan of ${drain.id}`, renderPlan(drain, titleOf(drain)));
}

/** A move's copy as the status message shows it: the fraction of memory sent, when known. */
export type MoveProgress = Map<string, number>;

const moveIcons: Record<DrainMoveRecord['state'], string> = {
  queued: '⏳',
  running: '🚚',
  succeeded: '✅',
  failed: '❌',
  cancelled: '🛑',
  unknown: '❓',
  blocked: '⛔',
  not_started: '➖',
};

/** The one status message of a drain, edited in place. */
export function drainStatus(drain: DrainRecord, progress: MoveProgress, now: number): SlackMessage {
  const done = drain.moves.filter((m) => m.state === 'succeeded').length;
  const head = [
    `*${escapeText(titleOf(drain))}* · ${stateLabel(drain)}`,
    `${done} of ${drain.moves.length} moved`,
  ];
  const eta = etaMs(drain, progress);
  if (eta !== null && isActive(drain)) head.push(`ETA ~${formatDuration(eta)}`);
  const lines = drain.moves.map((m) => `${moveIcons[m.state]} ${escapeText(moveText(m, progress))}`);
  for (const vm of drain.left)
    lines.push(`🔒 ${escapeText(`${vm.vm.name} stays on ${vm.source}: ${vm.fix}`)}`);
  const blocks: Block[] = [section(head.join(' · ')), section(lines.join('\n') || '_Nothing to move._')];
  if (drain.state === 'stopped')
    blocks.push(
      section(
        `🛑 *Stopped: ${escapeText(drain.stoppedBecause ?? 'a move failed')}.* No new move starts. *Resume* goes on with the ${drain.moves.filter((m) => m.state === 'queued').length} left; *Cancel* ends the drain.`,
      ),
    );
  if (drain.state === 'paused')
    blocks.push(
      section(
        `⏸️ *${escapeText(drain.stoppedBecause ?? 'Paused')}*: no new move starts; the running ones finish.`,
      ),
    );
  if (drain.state === 'finished' || drain.state === 'cancelled')
    blocks.push(section(escapeText(endText(drain, now))));
  const controls = controlButtons(drain);
  if (controls.length > 0) blocks.push(actions('drain_controls', controls));
  blocks.push(context(drain.id));
  return message(`${titleOf(drain)}: ${done} of ${drain.moves.length} moved (${drain.state})`, blocks);
}

function isActive(drain: DrainRecord): boolean {
  return (
    drain.state === 'running' ||
    drain.state === 'paused' ||
    drain.state === 'stopped' ||
    drain.state === 'cancelling'
  );
}

function stateLabel(drain: DrainRecord): string {
  switch (drain.state) {
    case 'running':
      return '🚚 Running';
    case 'paused':
      return '⏸️ Paused';
    case 'stopped':
      return '🛑 Stopped after a failure';
    case 'cancelling':
      return '🛑 Cancelling';
    case 'finished':
      return '🏁 Finished';
    case 'cancelled':
      return '🛑 Cancelled';
    default:
      return drain.state.replaceAll('_', ' ');
  }
}

function moveText(m: DrainMoveRecord, progress: MoveProgress): string {
  const route = `${m.vm.name} ${m.source} → ${m.destination}`;
  switch (m.state) {
    case 'queued':
      return `${route}: queued (${courseOf(m)})`;
    case 'running': {
      const fraction = m.migrationId ? progress.get(m.migrationId) : undefined;
      return `${route}: ${fraction === undefined ? m.message : `copying ${Math.floor(fraction * 100)}%`}`;
    }
    default:
      return moveLine(m);
  }
}

/**
 * What is left of the plan, scaled by how far the running copies are: the predicted makespan ×
 * the predicted work not yet done ÷ all of it. The plan's own prediction, not a promise.
 */
function etaMs(drain: DrainRecord, progress: MoveProgress): number | null {
  const total = drain.moves.reduce((sum, m) => sum + m.predicted.durationMs, 0);
  if (total === 0) return null;
  const left = drain.moves.reduce((sum, m) => {
    if (m.state === 'queued') return sum + m.predicted.durationMs;
    if (m.state === 'running')
      return sum + m.predicted.durationMs * (1 - (m.migrationId ? (progress.get(m.migrationId) ?? 0) : 0));
    return sum;
  }, 0);
  return (drain.predictedMakespanMs * left) / total;
}

/** Moved / left (with reasons) / failed, the time against the prediction, each VM's pause. */
function endText(drain: DrainRecord, now: number): string {
  const moved = drain.moves.filter((m) => m.state === 'succeeded');
  const failed = drain.moves.filter((m) => m.state !== 'succeeded');
  const took = (drain.finishedAt ?? now) - (drain.startedAt ?? drain.createdAt);
  const pauses = moved.map(
    (m) => `${m.vm.name} ${m.pauseMs == null ? 'pause unknown' : formatDuration(m.pauseMs)}`,
  );
  const lines = [
    `${drain.state === 'cancelled' ? 'Cancelled' : 'Done'}: ${moved.length} moved, ${drain.left.length} left, ${failed.length} not moved, in ${formatDuration(took)} (predicted ~${formatDuration(drain.predictedMakespanMs)}).`,
  ];
  if (pauses.length > 0) lines.push(`Pauses: ${pauses.join(', ')}.`);
  // The CLI's words, as typed on Slack.
  for (const source of drain.leftOnSources ?? [])
    lines.push(...sourceLines(source).map((l) => l.trim().replace('livemig undrain', '/migrate undrain')));
  return lines.join('\n');
}

function controlButtons(drain: DrainRecord) {
  const cancel = button(drainActionIds.cancel, 'Cancel drain', drain.id, {
    style: 'danger',
    confirm: confirmDialog({
      title: 'Cancel the drain?',
      text: 'No new move starts and the running copies are aborted: each of those VMs stays on its source. The hosts stay disabled.',
      confirm: 'Cancel it',
      deny: 'Keep going',
    }),
  });
  switch (drain.state) {
    case 'running':
      return [button(drainActionIds.pause, 'Pause', drain.id), cancel];
    case 'paused':
    case 'stopped':
      return [button(drainActionIds.resume, 'Resume', drain.id, { style: 'primary' }), cancel];
    default:
      return [];
  }
}

/** A milestone of a drain in its thread: a move that ended, a stop, the end. */
export function drainMilestone(
  drain: DrainRecord,
  move: DrainMoveRecord | undefined,
  kind: string,
): SlackMessage | null {
  if (kind === 'move_finished' && move) {
    const text = `${moveIcons[move.state]} ${moveLine(move)}`;
    return message(text, [section(escapeText(text))]);
  }
  if (kind === 'stopped') {
    const text = `🛑 ${titleOf(drain)} stopped: ${drain.stoppedBecause ?? 'a move failed'}. Resume or Cancel on the status message.`;
    return message(text, [section(escapeText(text))]);
  }
  if (kind === 'finished' || kind === 'cancelled') {
    const text = `🏁 ${titleOf(drain)}: ${endText(drain, drain.finishedAt ?? 0)}`;
    return message(text, [section(escapeText(text))]);
  }
  return null;
}

/** A notice in the notification channel: a drain started or ended. */
export function drainNotice(drain: DrainRecord, link: string | null): SlackMessage {
  const moved = drain.moves.filter((m) => m.state === 'succeeded').length;
  const what =
    drain.state === 'running'
      ? `started: ${drain.moves.length} VM(s) to move`
      : `${drain.state}: ${moved} of ${drain.moves.length} moved, ${drain.left.length} could not move`;
  return noticeMessage(`${drain.state === 'running' ? '🚚' : '🏁'} ${titleOf(drain)} ${what}`, link);
}

/** A line in the notification channel with a link to the thread it is about. */
export function noticeMessage(text: string, link: string | null): SlackMessage {
  return message(text, [section(`${escapeText(text)}${link ? ` · <${link}|thread>` : ''}`)]);
}

/** The campaign's card: the hosts in order with where each is, and its buttons. */
export function campaignCard(campaign: CampaignRecord): SlackMessage {
  const hosts = campaign.hosts.map((h) => `${h.host}`).join(', ');
  const icons: Record<string, string> = {
    waiting: '⏳',
    draining: '🚚',
    awaiting_done: '🔧',
    returning: '↩️',
    done: '✅',
    cancelled: '🛑',
  };
  const lines = campaign.hosts.map(
    (h, i) =>
      `${icons[h.step] ?? ''} ${i + 1}. *${escapeText(h.host)}* — ${escapeText(h.step.replace('_', ' '))}${h.message ? `: ${escapeText(h.message)}` : ''}`,
  );
  const blocks: Block[] = [
    header(`Maintenance: ${hosts}`),
    section(
      `One host at a time: drain it, wait for *Done* after its maintenance, enable it again${campaign.options.returnVms ? ' and bring its VMs back' : ''}, then the next. Requested by ${mention(campaign.requester)}.`,
    ),
    section(lines.join('\n')),
  ];
  if (campaign.state === 'awaiting_approval') {
    blocks.push(
      context(`Awaiting approval · expires ${slackDate(campaign.expiresAt)}`),
      actions('campaign_decision', [
        button(campaignActionIds.approve, 'Approve', campaign.id, {
          style: 'primary',
          confirm: confirmDialog({
            title: 'Start the maintenance?',
            text: `livemig drains ${escapeText(campaign.hosts[0]!.host)} first (planned again now, each VM with its own pre-flight), then waits for your Done.`,
            confirm: 'Approve',
            deny: 'Not yet',
          }),
        }),
        button(campaignActionIds.reject, 'Reject', campaign.id, { style: 'danger' }),
        button(campaignActionIds.cancel, 'Cancel request', campaign.id),
      ]),
    );
  } else if (campaign.state === 'running') {
    blocks.push(actions('campaign_controls', [campaignCancel(campaign)]));
  } else {
    const last = campaign.decisions.at(-1);
    const who = last && last.kind !== 'expired' ? ` by ${mention(last.actor)}` : '';
    blocks.push(
      context(
        `*${campaign.state.toUpperCase()}*${last && campaign.state !== 'finished' ? who : ''}${campaign.message ? ` — ${escapeText(campaign.message)}` : ''}`,
      ),
    );
  }
  blocks.push(context(campaign.id));
  return message(`Maintenance ${hosts}: ${campaign.state.replaceAll('_', ' ')}`, blocks);
}

function campaignCancel(campaign: CampaignRecord) {
  return button(campaignActionIds.cancel, 'Cancel maintenance', campaign.id, {
    style: 'danger',
    confirm: confirmDialog({
      title: 'Cancel the maintenance?',
      text: 'The running drain is cancelled (its copies aborted) and no further host starts. Drained hosts stay disabled until you undrain them.',
      confirm: 'Cancel it',
      deny: 'Keep going',
    }),
  });
}

/** "node05 is empty and disabled: do your maintenance, then press Done", with Done. */
export function hostReadyMessage(campaign: CampaignRecord, host: string, text: string): SlackMessage {
  return message(text, [
    section(`🔧 *${escapeText(text)}*`),
    actions('campaign_host', [
      button(campaignActionIds.done, `Done with ${host}`, campaign.id, {
        style: 'primary',
        confirm: confirmDialog({
          title: `Is ${host} done?`,
          text: `livemig enables nova-compute on ${escapeText(host)} again${campaign.options.returnVms ? ', brings its VMs back' : ''} and goes on with the next host.`,
          confirm: 'Done',
          deny: 'Not yet',
        }),
      }),
      campaignCancel(campaign),
    ]),
  ]);
}

/** One line in the campaign's thread (a host started, came back, the end). */
export function campaignLine(text: string): SlackMessage {
  return message(text, [section(escapeText(text))]);
}
