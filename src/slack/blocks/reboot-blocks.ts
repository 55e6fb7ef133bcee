/**
 * The reboot warning (a thread reply under a request whose VM runs a pre-baseline CPU) and the
 * hard-reboot approval card its `Request hard reboot` button opens.
 */
import type { RequestRecord, VmRef } from '../../../commands/types.js';
import {
  actions,
  type Block,
  button,
  confirmDialog,
  context,
  escapeText,
  mention,
  message,
  type SlackMessage,
  section,
  slackDate,
} from './kit.js';

export const rebootActionIds = {
  request: 'reboot_request',
  approve: 'reboot_approve',
  reject: 'reboot_reject',
} as const;

/** The warning reply; the button carries the VM's uuid (an id, nothing else). */
export function rebootWarning(vm: VmRef, warning: string): SlackMessage {
  return message(`${vm.name} needs a HARD reboot before it can migrate`, [
    section(`⚠️ *Reboot needed*: ${escapeText(warning)}`),
    actions('reboot_warning', [button(rebootActionIds.request, 'Request hard reboot', vm.uuid)]),
  ]);
}

/** The card of a hard-reboot request (kind 'reboot') as it stands now. */
export function rebootCard(request: RequestRecord): SlackMessage {
  const name = escapeText(request.vm.name);
  const decision = request.decisions.at(-1) ?? null;
  const seen = request.reboot
    ? `Live CPU ${escapeText(request.reboot.liveCpu ?? 'unknown')} on ${escapeText(request.source)}; nova.conf configures ${escapeText(request.reboot.configuredCpu ?? 'no cpu_model')}.\n`
    : '';
  const blocks: Block[] = [
    section(
      `🔁 *Hard reboot of ${name}* \`${request.vm.uuid}\`\nRequested by ${mention(request.requester)} · \`${request.id}\`\n${seen}` +
        'nova rebuilds the libvirt XML so the guest boots with the configured CPU model (a soft reboot keeps the old one). The guest OS restarts.',
    ),
  ];
  if (request.state === 'awaiting_approval' && decision === null) {
    blocks.push(
      context(`Awaiting approval · expires ${slackDate(request.expiresAt)}`),
      actions('reboot_decision', [
        button(rebootActionIds.approve, 'Approve reboot', request.id, {
          style: 'primary',
          confirm: confirmDialog({
            title: 'Hard-reboot now?',
            text: `${name} restarts at once.`,
            confirm: 'Reboot',
            deny: 'Not yet',
          }),
        }),
        button(rebootActionIds.reject, 'Reject', request.id, { style: 'danger' }),
      ]),
    );
  } else if (decision !== null) {
    const who = decision.actor.via === 'system' ? ' by livemig' : ` by ${mention(decision.actor)}`;
    const reason = decision.reason ? ` — “${escapeText(decision.reason)}”` : '';
    blocks.push(
      context(
        `*${decisionWord(decision.kind, decision.reason)}*${who} at ${slackDate(decision.at)}${reason}`,
      ),
    );
  }
  const outcome = request.reboot?.outcome;
  if (outcome) {
    const icon = outcome.result === 'rebooted' ? '✅' : '❌';
    blocks.push(section(`${icon} ${escapeText(outcome.message)}`));
  } else if (decision?.kind === 'approved') {
    blocks.push(section('⏳ Rebooting…'));
  }
  const state = outcome
    ? outcome.result
    : decision
      ? decisionWord(decision.kind, decision.reason).toLowerCase()
      : 'awaiting approval';
  return message(`Hard reboot of ${request.vm.name}: ${state}`, blocks);
}

/** CANCELLED by livemig with a "no longer needed" reason reads as what it is. */
function decisionWord(kind: string, reason: string | undefined): string {
  return kind === 'cancelled' && reason?.startsWith('no longer needed') ? 'CLOSED' : kind.toUpperCase();
}
