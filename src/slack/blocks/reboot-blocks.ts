/**
 * The reboot warning (a thread reply under a request whose VM runs a pre-baseline CPU) and the
 * hard-reboot approval card its `Request hard reboot` button opens.
 */
import type { RebootOutcome } from '../../engine/runner/index.js';
import type { Actor, Decision, VmRef } from '../../store/types.js';
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

/** A hard-reboot request as its card shows it. */
export interface RebootCardView {
  id: string;
  vm: VmRef;
  requester: Actor;
  expiresAt: number;
  decision: Decision | null;
  outcome: RebootOutcome | null;
}

export function rebootCard(view: RebootCardView): SlackMessage {
  const name = escapeText(view.vm.name);
  const blocks: Block[] = [
    section(
      `🔁 *Hard reboot of ${name}* \`${view.vm.uuid}\`\nRequested by ${mention(view.requester)} · \`${view.id}\`\n` +
        'nova rebuilds the libvirt XML so the guest boots with the configured CPU model (a soft reboot keeps the old one). The guest OS restarts.',
    ),
  ];
  if (view.decision === null) {
    blocks.push(
      context(`Awaiting approval · expires ${slackDate(view.expiresAt)}`),
      actions('reboot_decision', [
        button(rebootActionIds.approve, 'Approve reboot', view.id, {
          style: 'primary',
          confirm: confirmDialog({
            title: 'Hard-reboot now?',
            text: `${name} restarts at once.`,
            confirm: 'Reboot',
            deny: 'Not yet',
          }),
        }),
        button(rebootActionIds.reject, 'Reject', view.id, { style: 'danger' }),
      ]),
    );
  } else {
    const who = view.decision.kind === 'expired' ? '' : ` by ${mention(view.decision.actor)}`;
    const reason = view.decision.reason ? ` — “${escapeText(view.decision.reason)}”` : '';
    blocks.push(
      context(`*${view.decision.kind.toUpperCase()}*${who} at ${slackDate(view.decision.at)}${reason}`),
    );
  }
  if (view.outcome) {
    const icon = view.outcome.outcome === 'rebooted' ? '✅' : '❌';
    blocks.push(section(`${icon} ${escapeText(view.outcome.message)}`));
  } else if (view.decision?.kind === 'approved') {
    blocks.push(section('⏳ Rebooting…'));
  }
  const state = view.outcome ? view.outcome.outcome : (view.decision?.kind ?? 'awaiting approval');
  return message(`Hard reboot of ${view.vm.name}: ${state}`, blocks);
}
