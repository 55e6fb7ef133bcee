/**
 * `migrate VM HOST [--yes] [--block-migrate] [--allow-force-complete]` from a terminal: runs the
 * pre-flight, shows the checklist, takes the operator's confirmation (or --yes) as the approval,
 * then runs the migration and reports how it ended.
 */

import { formatDuration } from '../src/engine/preflight/format.js';
import type { MigrationRunner, ProgressEvent } from '../src/engine/runner/index.js';
import type { Actor, MigrationRecord, RequestRecord } from '../src/store/types.js';
import { renderChecklist } from './checklist-text.js';
import type { CommandModule } from './types.js';

export interface MigrateRequest {
  vm: string;
  destination: string;
  /** Approve without asking (required when nobody can be asked). */
  yes: boolean;
  blockMigrate: boolean;
  allowForceComplete: boolean;
}

export interface MigrateServices {
  runner: MigrationRunner;
  /** The local operator. */
  actor: Actor;
  /** Asks the operator; null when nobody can be asked (stdin/stdout not a terminal). */
  confirm: ((question: string) => Promise<boolean>) | null;
  /** Shows the checklist before asking. */
  showChecklist: (text: string) => void;
  onEvent?: (event: ProgressEvent) => void;
}

/** unknown: the hosts stopped answering and livemig gave up asking; the migration stays open. */
export type MigrateOutcome =
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'unknown'
  | 'blocked'
  | 'declined'
  | 'refused';

export interface MigrateResult {
  kind: 'migrate';
  outcome: MigrateOutcome;
  request: RequestRecord;
  migration: MigrationRecord | null;
  message: string;
}

export const migrateCommand: CommandModule<MigrateRequest, MigrateResult, MigrateServices> = {
  name: 'migrate',
  summary: 'check, confirm and live-migrate a VM to another hypervisor',
  usage: 'migrate VM HOST [--yes] [--block-migrate] [--allow-force-complete]',
  async run(request, services) {
    const { runner, actor } = services;
    const created = await runner.createRequest({
      vm: request.vm,
      destination: request.destination,
      requester: actor,
      options: { blockMigrate: request.blockMigrate, allowForceComplete: request.allowForceComplete },
    });
    services.showChecklist(renderChecklist(created));
    if (created.state !== 'awaiting_approval') {
      return {
        kind: 'migrate',
        outcome: 'blocked',
        request: created,
        migration: null,
        message: 'The pre-flight blocks this migration; nothing was changed.',
      };
    }
    if (!request.yes) {
      const reason =
        services.confirm === null ? 'not confirmed: not a terminal, so pass --yes to migrate' : null;
      const confirmed =
        reason === null &&
        (await services.confirm!(
          `Migrate ${created.vm.name} from ${created.source} to ${created.destination}? [y/N] `,
        ));
      if (!confirmed) {
        const message = reason ?? 'not confirmed';
        const rejected = await runner.reject(created.id, actor, { actorIsApprover: true, reason: message });
        return {
          kind: 'migrate',
          outcome: 'declined',
          request: rejected.request ?? created,
          migration: null,
          message: `Nothing was changed (${message}).`,
        };
      }
    }
    const approval = await runner.approve(created.id, actor, { actorIsApprover: true });
    if (approval.outcome !== 'approved') {
      return {
        kind: 'migrate',
        outcome: 'refused',
        request: approval.request ?? created,
        migration: null,
        message: approval.outcome === 'refused' ? approval.message : 'not approved',
      };
    }
    const unsubscribe = services.onEvent
      ? runner.subscribe((event) => {
          if (event.requestId === created.id) services.onEvent!(event);
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
};

/** The final summary: how it ended, where the VM is, and nova's log lines when it failed. */
export function renderMigrateText(result: MigrateResult): string {
  const lines = [`${result.outcome.toUpperCase()}: ${result.message}`];
  if (result.migration) lines.push(`migration ${result.migration.id} (request ${result.request.id})`);
  if (result.migration?.error?.logExcerpt) lines.push('', result.migration.error.logExcerpt);
  return `${lines.join('\n')}\n`;
}

function summary(m: MigrationRecord): string {
  if (m.state === 'succeeded') {
    const r = m.result;
    const downtime = r?.downtimeMs == null ? '' : `, downtime ${formatDuration(r.downtimeMs)}`;
    return `${m.vm.name} now runs on ${m.destination} (${formatDuration(r?.durationMs ?? 0)}${downtime}).`;
  }
  return m.error?.message ?? m.journal.at(-1)?.detail ?? `${m.vm.name} is ${m.state}`;
}
