/**
 * `history [--limit N] [--vm VM]`: finished migrations, drains and campaigns, newest first, from
 * the live file and the archive.
 */

import { LivemigError } from '../src/errors.js';
import type { HistoryPage } from '../src/store/index.js';
import { formatDuration, formatMigrationTime } from '../src/util/format.js';
import type { CommandImpl } from './types.js';

export interface HistoryRequest {
  limit: number;
  vm?: string;
}

/** Finished migrations, and the drains and campaigns that ended (not with --vm), newest first. */
export interface HistoryResult extends HistoryPage {
  kind: 'history';
}

/** Checks the --limit value a user typed. */
export function parseHistoryLimit(text: string | undefined): number {
  if (text === undefined) return 20;
  // Number() also reads "0x10", "1e3", " 5" and "+3": only plain decimal digits are a count.
  const limit = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new LivemigError('usage', `--limit must be a whole number from 1 to 10000, got "${text}"`);
  }
  return limit;
}

export const historyCommand: CommandImpl<HistoryRequest, HistoryResult, 'records'> = {
  needs: 'records',
  parse(input) {
    const limit = parseHistoryLimit(input.flags.limit as string | undefined);
    const vm = input.flags.vm as string | undefined;
    return vm === undefined ? { limit } : { limit, vm };
  },
  exitCode: () => 0,
  async run(request, { store }) {
    return {
      kind: 'history',
      ...(await store.history(
        request.vm === undefined ? { limit: request.limit } : { limit: request.limit, vm: request.vm },
      )),
    };
  },
  renderText(result) {
    const ops = [
      ...result.drains.map((d) => {
        const moved = d.moves.filter((m) => m.state === 'succeeded').length;
        const what = d.kind === 'return' ? `return to ${d.returnOf?.host}` : `drain ${d.sources.join(', ')}`;
        return `${new Date(d.finishedAt!).toISOString()}  ${d.id}  ${what}  ${d.state.toUpperCase()} ${moved} of ${d.moves.length} moved, ${d.left.length} could not move`;
      }),
      ...result.campaigns.map(
        (c) =>
          `${new Date(c.finishedAt!).toISOString()}  ${c.id}  maintenance ${c.hosts.map((h) => h.host).join(', ')}  ${c.state.toUpperCase()}`,
      ),
    ];
    if (result.migrations.length === 0) return `${[...ops, 'No finished migrations.'].join('\n')}\n`;
    const lines = result.migrations.map((m) => {
      const when = new Date(m.finishedAt ?? m.updatedAt).toISOString();
      const downtime =
        m.result?.downtimeMs == null ? '' : `, downtime ${formatDuration(m.result.downtimeMs)}`;
      const how =
        m.state === 'succeeded'
          ? `in ${formatMigrationTime(m.result ?? { durationMs: 0 })}${downtime}`
          : (m.error?.message ?? '');
      // A pause someone accepted beyond the budget stays on the record.
      const accepted =
        m.options.acceptedDowntimeMs === undefined
          ? ''
          : ` (accepted pause up to ${formatDuration(m.options.acceptedDowntimeMs)})`;
      return `${when}  ${m.id}  ${m.vm.name} ${m.source} → ${m.destination}  ${m.state.toUpperCase()} ${how}${accepted}`.trimEnd();
    });
    return `${[...ops, ...lines].join('\n')}\n`;
  },
};
