/**
 * The request card posted for `/migrate VM HOST`: the VM, the route, who asks, the checklist and
 * the prediction; Approve / Reject / Cancel while it awaits a decision, and after a decision only
 * who decided and when (no buttons).
 */
import type { RequestRecord } from '../../../commands/types.js';
import { formatBytes, formatDuration } from '../../util/format.js';
import { checklistBlocks, checkSummary, pauseSentence, predictionText } from './checklist.js';
import {
  actions,
  type Block,
  button,
  confirmDialog,
  context,
  escapeText,
  fieldsSection,
  header,
  mention,
  message,
  type SlackMessage,
  section,
  slackDate,
} from './kit.js';

export const requestActionIds = {
  approve: 'request_approve',
  reject: 'request_reject',
  cancel: 'request_cancel',
} as const;

/**
 * The card for `request` as it stands now, decision first (Slack's guidance for approval
 * messages): who wants what, one summary line, only the checks that need reading (with their
 * fixes), the pause, the buttons. The full checklist is a reply in the card's thread.
 */
export function requestCard(request: RequestRecord): SlackMessage {
  const blocks: Block[] = [header(`Migrate ${request.vm.name} → ${request.destination}`), fields(request)];
  if (request.checks) {
    blocks.push(section(checkSummary(request.checks)));
    blocks.push(...checklistBlocks(request.checks, { only: 'problems' }));
    const accepted = acceptedPauseText(request);
    if (accepted) blocks.push(section(accepted));
    const prediction = predictionText(request.checks);
    if (prediction) blocks.push(section(prediction));
  } else {
    blocks.push(section('⏳ Running the pre-flight checks…'));
  }
  blocks.push(...stateBlocks(request));
  blocks.push(context(`\`${request.vm.uuid}\` · request ${request.id}`));
  return message(
    `${fallbackState(request)}: migrate ${request.vm.name} ${request.source} → ${request.destination}`,
    blocks,
  );
}

/** VM, route, size and requester as a two-column grid. */
function fields(request: RequestRecord): Block {
  const flavor = request.flavor;
  // Old nova prints the flavor as `m1.medium (2)`: the RAM then comes from libvirt's view.
  const memoryBytes = request.checks?.prediction?.memoryBytes;
  const ramMiB = flavor?.ramMiB ?? (memoryBytes === undefined ? null : Math.round(memoryBytes / 1024 ** 2));
  const size = [
    flavor ? escapeText(flavor.name) : null,
    ramMiB === null ? null : formatBytes(ramMiB * 1024 ** 2),
    flavor?.vcpus == null ? null : `${flavor.vcpus} vCPUs`,
  ].filter((part) => part !== null);
  return fieldsSection([
    `*VM*\n${escapeText(request.vm.name)}`,
    `*Route*\n${escapeText(request.source)} → ${escapeText(request.destination)}`,
    `*Flavor*\n${size.length > 0 ? size.join(' · ') : '?'}`,
    `*Requested by*\n${mention(request.requester)}`,
  ]);
}

/** The pause the requester accepted beyond the budget: the approver must not miss it. */
function acceptedPauseText(request: RequestRecord): string | null {
  const accepted = request.options.acceptedDowntimeMs;
  if (accepted === undefined) return null;
  return `🛑 *Accepted pause: up to ${formatDuration(accepted)}* — ${mention(request.requester)} accepted that the guest may be paused this long (--accept-downtime).`;
}

function stateBlocks(request: RequestRecord): Block[] {
  const decision = request.decisions.at(-1);
  switch (request.state) {
    case 'awaiting_approval':
      return [
        context(`Awaiting approval · expires ${slackDate(request.expiresAt)}`),
        actions('request_decision', [
          button(requestActionIds.approve, 'Approve', request.id, {
            style: 'primary',
            confirm: confirmDialog({
              title: 'Start the migration?',
              text: `livemig re-runs the checks, then migrates ${escapeText(request.vm.name)} to ${escapeText(request.destination)}. ${pauseSentence(request)}`,
              confirm: 'Approve',
              deny: 'Not yet',
            }),
          }),
          button(requestActionIds.reject, 'Reject', request.id, { style: 'danger' }),
          button(requestActionIds.cancel, 'Cancel request', request.id),
        ]),
      ];
    case 'blocked':
      return [
        section(
          '⛔ *Blocked*: the pre-flight found a blocking problem, so this request cannot be approved. Fix it and run `/migrate` again.',
        ),
      ];
    case 'requested':
    case 'checking':
      return [];
    default: {
      if (!decision) return [context(`*${request.state.replaceAll('_', ' ')}*`)];
      const reason = decision.reason ? ` — “${escapeText(decision.reason)}”` : '';
      const who = decision.kind === 'expired' ? '' : ` by ${mention(decision.actor)}`;
      return [context(`*${decision.kind.toUpperCase()}*${who} at ${slackDate(decision.at)}${reason}`)];
    }
  }
}

function fallbackState(request: RequestRecord): string {
  if (request.state === 'blocked') return 'Blocked';
  if (request.state === 'awaiting_approval') return 'Approval needed';
  return request.state.charAt(0).toUpperCase() + request.state.slice(1).replaceAll('_', ' ');
}
