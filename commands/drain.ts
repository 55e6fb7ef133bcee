/**
 * `drain HOST... [--to HOST,...] [--accept-downtime D] [--continue-on-failure] [--dry-run] [--yes]`
 * empties hypervisors for maintenance from a terminal: plans where every VM goes (the pre-flight
 * per pair, capacity, limits, links), shows the plan with what cannot move and why, takes the
 * operator's confirmation (or --yes) as the approval, then disables nova-compute on the sources,
 * moves the VMs (runDrain) and reports what is left. `undrain HOST` enables nova-compute again.
 */
import { serviceEnable } from '../src/cluster/index.js';
import {
  type DrainMove,
  type DrainPlan,
  type DrainRunResult,
  gatherDrainFacts,
  planDrain,
  runDrain,
  type SourceAfterDrain,
} from '../src/engine/drain/index.js';
import { LivemigError } from '../src/errors.js';
import { formatDuration } from '../src/util/format.js';
import { acceptedDowntime } from './check.js';
import type { CommandImpl, CommandInput } from './types.js';

export interface DrainRequest {
  sources: string[];
  to?: string[];
  acceptedDowntimeMs?: number;
  continueOnFailure: boolean;
  dryRun: boolean;
  yes: boolean;
}

export type DrainOutcome =
  /** --dry-run: the plan only. */
  | 'planned'
  | 'declined'
  /** Every source holds no VM of nova's and no domain of libvirt's. */
  | 'empty'
  /** Moves ran; something is still on a source (unmovable, failed or not started). */
  | 'not_empty';

export interface DrainResult {
  kind: 'drain';
  outcome: DrainOutcome;
  plan: DrainPlan;
  run: DrainRunResult | null;
  message: string;
}

export function parseDrainInput(input: CommandInput): DrainRequest {
  const sources = [...new Set(input.args)];
  const request: DrainRequest = {
    sources,
    continueOnFailure: input.flags['continue-on-failure'] === true,
    dryRun: input.flags['dry-run'] === true,
    yes: input.flags.yes === true,
  };
  const to = input.flags.to;
  if (typeof to === 'string') {
    const hosts = to
      .split(',')
      .map((host) => host.trim())
      .filter((host) => host !== '');
    if (hosts.length === 0) {
      throw new LivemigError('usage', '--to needs at least one host', { hint: 'usage: --to node06,node07' });
    }
    const both = hosts.filter((host) => sources.includes(host));
    if (both.length > 0) {
      throw new LivemigError('usage', `${both.join(', ')} cannot be drained and receive VMs at once`, {
        hint: 'Leave the hosts you drain out of --to.',
      });
    }
    request.to = hosts;
  }
  const accepted = input.flags['accept-downtime'];
  if (typeof accepted === 'string') request.acceptedDowntimeMs = acceptedDowntime(accepted);
  return request;
}

export const drainCommand: CommandImpl<DrainRequest, DrainResult, 'runner'> = {
  needs: 'runner',
  parse: parseDrainInput,
  async run(request, services, caller) {
    const { runner, config } = services;
    const facts = await gatherDrainFacts(services, {
      sources: request.sources,
      ...(request.to ? { allowedDestinations: request.to } : {}),
      migrationInProgress: (uuid) => runner.hasUnfinishedMigration(uuid),
    });
    const plan = planDrain(facts, {
      limits: config.limits,
      allowedDestinations: request.to,
      acceptedDowntimeMs: request.acceptedDowntimeMs,
    });
    const result = (
      outcome: DrainOutcome,
      message: string,
      run: DrainRunResult | null = null,
    ): DrainResult => ({
      kind: 'drain',
      outcome,
      plan,
      run,
      message,
    });
    if (request.dryRun) return result('planned', 'Nothing was changed (--dry-run).');
    caller.onEvent?.({ kind: 'text', text: renderPlan(plan) });
    if (!request.yes) {
      if (caller.confirm === null) {
        return result(
          'declined',
          'Nothing was changed (not confirmed: not a terminal, so pass --yes to drain).',
        );
      }
      const confirmed = await caller.confirm(
        `Disable nova-compute on ${plan.sources.join(', ')} and move ${plan.assignments.length} VM(s) as planned? [y/N] `,
      );
      if (!confirmed) return result('declined', 'Nothing was changed (not confirmed).');
    }
    const unsubscribe = caller.onEvent
      ? runner.subscribe((event) => caller.onEvent!({ kind: 'progress', event }))
      : () => undefined;
    try {
      const run = await runDrain(services, plan, {
        actor: caller.actor,
        acceptedDowntimeMs: request.acceptedDowntimeMs,
        continueOnFailure: request.continueOnFailure,
      });
      const empty = run.sources.every(isEmpty);
      return result(empty ? 'empty' : 'not_empty', drainSummary(plan, run), run);
    } finally {
      unsubscribe();
    }
  },
  renderText: renderDrainText,
  exitCode: (result) => (result.outcome === 'empty' || result.outcome === 'planned' ? 0 : 1),
};

export interface UndrainRequest {
  host: string;
}

export interface UndrainResult {
  kind: 'undrain';
  host: string;
  message: string;
}

/** `undrain HOST`: nova-compute on HOST takes new VMs again. */
export const undrainCommand: CommandImpl<UndrainRequest, UndrainResult, 'cluster'> = {
  needs: 'cluster',
  parse: (input) => ({ host: input.args[0]! }),
  async run(request, { config, executor }) {
    const hypervisors = config.cluster.hypervisors.map((hypervisor) => hypervisor.name);
    if (!hypervisors.includes(request.host)) {
      throw new LivemigError('unknown_host', `${request.host} is not a hypervisor of the inventory`, {
        hint: `Hypervisors: ${hypervisors.join(', ')}.`,
      });
    }
    await serviceEnable(executor, config.cluster.controller.name, { host: request.host });
    return {
      kind: 'undrain',
      host: request.host,
      message: `nova-compute on ${request.host} is enabled: nova schedules VMs there again.`,
    };
  },
  renderText: (result) => `${result.message}\n`,
  exitCode: () => 0,
};

function isEmpty(source: SourceAfterDrain): boolean {
  return (
    source.servers !== null &&
    source.servers.length === 0 &&
    source.domains !== null &&
    source.domains.length === 0
  );
}

/** The plan: each move in start order, what stays and why, and the predicted time. */
export function renderPlan(plan: DrainPlan): string {
  const lines = [
    `Drain ${plan.sources.join(', ')}: ${plan.assignments.length} VM(s) move, ${plan.unmovable.length} cannot.`,
  ];
  for (const move of plan.assignments) {
    lines.push(
      `  ${move.order}. ${move.vm.name} ${move.source} → ${move.destination}: ${courseOf(move)}${move.verdict === 'warn' ? ` (warnings: ${move.warnings.map((w) => w.title).join(', ')})` : ''}`,
    );
  }
  if (plan.unmovable.length > 0) lines.push('Cannot move:');
  for (const vm of plan.unmovable) {
    lines.push(`  ${vm.vm.name} on ${vm.source}: ${vm.explanation}`, `    fix: ${vm.fix}`);
  }
  for (const mismatch of plan.domainMismatches) lines.push(`  note: ${describeMismatch(mismatch)}`);
  if (plan.assignments.length > 0) {
    lines.push(
      `Predicted: ~${formatDuration(plan.predictedMakespanMs)} in all (no schedule can beat ~${formatDuration(plan.lowerBoundMs)}: the busiest link's bytes ÷ its speed).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The predicted course; without a dirty rate the durations are a floor and the pause unknown. */
function courseOf(move: DrainPlan['assignments'][number]): string {
  const p = move.prediction;
  if (p.live && !p.dirtyRateMeasured) {
    return `at least ~${formatDuration(move.durationMs)}, pause unknown (dirty rate not measurable before the copy)`;
  }
  if (!p.live) return `~${formatDuration(move.durationMs)}, guest paused throughout (no VIR_MIGRATE_LIVE)`;
  return `~${formatDuration(move.durationMs)}, pause ~${formatDuration(move.pauseMs)}`;
}

function describeMismatch(mismatch: DrainPlan['domainMismatches'][number]): string {
  return Object.entries(mismatch)
    .map(([key, value]) => `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function drainSummary(plan: DrainPlan, run: DrainRunResult): string {
  const moved = run.moves.filter((move) => move.state === 'succeeded').length;
  const elapsed = formatDuration(run.finishedAt - run.startedAt);
  const predicted = formatDuration(plan.predictedMakespanMs);
  return `${moved} of ${run.moves.length} planned move(s) done in ${elapsed} (predicted ~${predicted}); ${plan.unmovable.length} VM(s) could not move.`;
}

export function renderDrainText(result: DrainResult): string {
  if (result.run === null) {
    return `${result.outcome === 'planned' ? renderPlan(result.plan) : ''}${result.outcome.toUpperCase()}: ${result.message}\n`;
  }
  const lines = [`${result.outcome === 'empty' ? 'EMPTY' : 'NOT EMPTY'}: ${result.message}`];
  for (const move of result.run.moves) lines.push(`  ${moveLine(move)}`);
  for (const vm of result.plan.unmovable) lines.push(`  ${vm.vm.name}: stays on ${vm.source} (${vm.fix})`);
  for (const source of result.run.sources) lines.push(...sourceLines(source));
  return `${lines.join('\n')}\n`;
}

function moveLine(move: DrainMove): string {
  const head = `${move.vm.name} ${move.source} → ${move.destination}: ${move.state.replace('_', ' ')}`;
  if (move.state === 'succeeded') {
    const pause = move.pauseMs == null ? '' : `, pause ${formatDuration(move.pauseMs)}`;
    return `${head} (${formatDuration(move.durationMs ?? 0)}${pause})`;
  }
  return `${head}: ${move.message}`;
}

function sourceLines(source: SourceAfterDrain): string[] {
  const state = source.disabled ? 'nova-compute disabled' : 'nova-compute NOT disabled';
  const servers = source.servers?.map((server) => `${server.name} (${server.status})`) ?? [];
  const domains = source.domains?.map((domain) => `${domain.name} (${domain.state})`) ?? [];
  const lines = [
    `${source.host}: ${state}; nova lists ${servers.length === 0 ? 'no server' : servers.join(', ')}; libvirt lists ${domains.length === 0 ? 'no domain' : domains.join(', ')}.`,
  ];
  for (const error of source.errors) lines.push(`  could not ask: ${error}`);
  if (source.disabled) lines.push(`  After the maintenance: livemig undrain ${source.host}`);
  return lines;
}
