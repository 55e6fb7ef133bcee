/**
 * `migrate VM HOST [--yes] [--block-migrate] [--accept-downtime DURATION]` from a terminal: runs the
 * pre-flight, shows the checklist, takes the operator's confirmation (or --yes) as the approval,
 * then runs the migration and reports how it ended.
 */

import { isContactLost } from '../src/errors.js';
import type { MigrationRecord, RequestRecord } from '../src/store/types.js';
import { formatDuration, formatMigrationTime } from '../src/util/format.js';
import { migrationOptionsOf, parseCheckInput } from './check.js';
import type { CommandImpl } from './types.js';

export interface MigrateRequest {
  vm: string;
  destination: string;
  /** Approve without asking (required when nobody can be asked). */
  yes: boolean;
  blockMigrate: boolean;
  acceptedDowntimeMs?: number;
}

/** unknown: the hosts stopped answering and livemig gave up asking; the migration stays open. */
export type MigrateOutcome =
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'unknown'
  | 'blocked'
  | 'declined'
  | 'refused'
  /** On Slack: the request card waits for an approver. */
  | 'awaiting_approval';

export interface MigrateResult {
  kind: 'migrate';
  outcome: MigrateOutcome;
  /** null when no request could be made: nova did not answer to name the VM (blocked). */
  request: RequestRecord | null;
  migration: MigrationRecord | null;
  message: string;
}

/**
 * Creates the request and runs the pre-flight. On a terminal the operator's confirmation (or
 * --yes) is the approval and the migration runs to its end here; on Slack the request waits for
 * someone else's Approve (approve.ts). Exit 0 succeeded, 1 anything else.
 */
export const migrateCommand: CommandImpl<MigrateRequest, MigrateResult, 'runner'> = {
  needs: 'runner',
  parse: (input) => ({ ...parseCheckInput(input), yes: input.flags.yes === true }),
  async run(request, { runner }, caller) {
    const { actor } = caller;
    let created: RequestRecord;
    try {
      created = await runner.createRequest({
        vm: request.vm,
        destination: request.destination,
        requester: actor,
        options: migrationOptionsOf(request),
        ...(caller.channel ? { slack: { channel: caller.channel } } : {}),
      });
    } catch (error) {
      // The controller did not answer `nova show`: the pre-flight cannot start, which `check`
      // reports as a block too (same exit code, same host blamed).
      if (!isContactLost(error)) throw error;
      const message = `nova show ${request.vm} got no answer: ${error.message}. Nothing was changed.`;
      return { kind: 'migrate', outcome: 'blocked', request: null, migration: null, message };
    }
    const result = (outcome: MigrateOutcome, message: string, req = created): MigrateResult => ({
      kind: 'migrate',
      outcome,
      request: req,
      migration: null,
      message,
    });
    caller.onEvent?.({ kind: 'checked', request: created });
    if (created.state !== 'awaiting_approval')
      return result('blocked', 'The pre-flight blocks this migration; nothing was changed.');
    if (caller.surface === 'slack')
      return result('awaiting_approval', 'The request waits for an approver (someone else).');
    if (!request.yes) {
      const reason =
        caller.confirm === null ? 'not confirmed: not a terminal, so pass --yes to migrate' : null;
      const confirmed =
        reason === null &&
        (await caller.confirm!(
          `Migrate ${created.vm.name} from ${created.source} to ${created.destination}? [y/N] `,
        ));
      if (!confirmed) {
        const message = reason ?? 'not confirmed';
        const rejected = await runner.reject(created.id, actor, { actorIsApprover: true, reason: message });
        return result('declined', `Nothing was changed (${message}).`, rejected.request ?? created);
      }
    }
    const approval = await runner.approve(created.id, actor, { actorIsApprover: true });
    if (approval.outcome !== 'approved') {
      const message = approval.outcome === 'refused' ? approval.message : 'not approved';
      return result('refused', message, approval.request ?? created);
    }
    const unsubscribe = caller.onEvent
      ? runner.subscribe((event) => {
          if (event.requestId === created.id) caller.onEvent!({ kind: 'progress', event });
        })
      : () => undefined;
    try {
      const migration = await runner.waitForMigration(approval.migrationId);
      const outcome =
        migration.state === 'succeeded'
          ? 'succeeded'
          : migration.state === 'cancelled'
            ? 'cancelled'
            : migration.state === 'failed'
              ? 'failed'
              : 'unknown';
      return { kind: 'migrate', outcome, request: approval.request, migration, message: summary(migration) };
    } finally {
      unsubscribe();
    }
  },
  renderText: renderMigrateText,
  exitCode: (result) => (result.outcome === 'succeeded' ? 0 : 1),
};

/** The final summary: how it ended, where the VM is, and nova's log lines when it failed. */
export function renderMigrateText(result: MigrateResult): string {
  const lines = [`${result.outcome.toUpperCase()}: ${result.message}`];
  if (result.migration) lines.push(`migration ${result.migration.id} (request ${result.request?.id})`);
  if (result.migration?.error?.logExcerpt) lines.push('', result.migration.error.logExcerpt);
  return `${lines.join('\n')}\n`;
}

function summary(m: MigrationRecord): string {
  if (m.state === 'succeeded') {
    const r = m.result;
    const downtime = r?.downtimeMs == null ? '' : `, downtime ${formatDuration(r.downtimeMs)}`;
    const cleanup = [...m.journal]
      .reverse()
      .find((e) => (e.step === 'clean_source_dir' || e.step === 'remove_source_dir') && e.phase === 'done');
    const dirs = cleanup?.detail ? ` Source dir: ${cleanup.detail}.` : '';
    return `${m.vm.name} now runs on ${m.destination} (${formatMigrationTime(r ?? { durationMs: 0 })}${downtime}).${dirs}`;
  }
  return m.error?.message ?? m.journal.at(-1)?.detail ?? `${m.vm.name} is ${m.state}`;
}
