/**
 * The request card posted for `/migrate VM HOST`: the VM, the route, who asks, the checklist and
 * the prediction; Approve / Reject / Cancel while it awaits a decision, and after a decision only
 * who decided and when (no buttons).
 */
import type { RequestRecord } from '../../../commands/types.js';
import { checklistBlocks, predictionText } from './checklist.js';
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

export const requestActionIds = {
  approve: 'request_approve',
  reject: 'request_reject',
  cancel: 'request_cancel',
} as const;

/** The card for `request` as it stands now. */
export function requestCard(request: RequestRecord): SlackMessage {
  const name = escapeText(request.vm.name);
  const flavor = request.flavor;
  // Old nova prints the flavor as `m1.medium (2)`: the RAM then comes from libvirt's view.
  const memoryBytes = request.checks?.prediction?.memoryBytes;
  const ramMiB = flavor?.ramMiB ?? (memoryBytes === undefined ? null : Math.round(memoryBytes / 1024 ** 2));
  const blocks: Block[] = [
    header(`Migrate ${request.vm.name} → ${request.destination}`),
    section(
      [
        `*VM* ${name} \`${request.vm.uuid}\``,
        flavor
          ? `*Flavor* ${escapeText(flavor.name)} · *RAM* ${ramMiB === null ? '?' : `${ramMiB} MiB`}${flavor.vcpus === null ? '' : ` · *vCPUs* ${flavor.vcpus}`}`
          : null,
        `*From* ${escapeText(request.source)} *to* ${escapeText(request.destination)}`,
        `*Requested by* ${mention(request.requester)} · request \`${request.id}\``,
      ]
        .filter((line) => line !== null)
        .join('\n'),
    ),
  ];
  if (request.checks) {
    blocks.push(...checklistBlocks(request.checks));
    const prediction = predictionText(request.checks);
    if (prediction) blocks.push(section(prediction));
  } else {
    blocks.push(section('⏳ Running the pre-flight checks…'));
  }
  blocks.push(...stateBlocks(request));
  return message(
    `${fallbackState(request)}: migrate ${request.vm.name} ${request.source} → ${request.destination}`,
    blocks,
  );
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
              text: `livemig re-runs the checks, then live-migrates ${escapeText(request.vm.name)} to ${escapeText(request.destination)}.`,
              confirm: 'Approve',
              deny: 'Not yet',
            }),
          }),
          button(requestActionIds.reject, 'Reject', request.id, { style: 'danger' }),
          button(requestActionIds.cancel, 'Cancel request', request.id),
        ]),
      ];
    case 'failed':
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
  if (request.state === 'failed') return 'Blocked';
  if (request.state === 'awaiting_approval') return 'Approval needed';
  return request.state.charAt(0).toUpperCase() + request.state.slice(1).replaceAll('_', ' ');
}
