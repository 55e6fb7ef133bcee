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
  type DrainRunOptions,
  type DrainRunResult,
  gatherDrainFacts,
  planDrain,
  runDrain,
  type SourceAfterDrain,
} from '../src/engine/drain/index.js';
import { LivemigError } from '../src/errors.js';
import type { MigrationRecord, RequestRecord } from '../src/store/types.js';
import { formatDuration } from '../src/util/format.js';
import { acceptedDowntime } from './check.js';
import type { Caller, CommandImpl, CommandInput, RunnerServices } from './types.js';

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
    const run = await runShowingProgress(services, caller, plan, {
      actor: caller.actor,
      disableSources: true,
      acceptedDowntimeMs: request.acceptedDowntimeMs,
      continueOnFailure: request.continueOnFailure,
    });
    return result(run.sources.every(isEmpty) ? 'empty' : 'not_empty', drainSummary(plan, run), run);
  },
  renderText: renderDrainText,
  exitCode: (result) => (result.outcome === 'empty' || result.outcome === 'planned' ? 0 : 1),
};

export interface UndrainRequest {
  host: string;
  /** Also move back the VMs the host's last drain moved away (still where it put them). */
  return: boolean;
  yes: boolean;
}

export interface UndrainResult {
  kind: 'undrain';
  host: string;
  /** With --return: the drain whose moves come back, its plan and how the moves went. */
  returned: { drainId: string; plan: DrainPlan; run: DrainRunResult | null } | null;
  message: string;
}

/**
 * `undrain HOST [--return] [--yes]`: nova-compute on HOST takes new VMs again; with --return, the
 * VMs HOST's last drain moved away come back, planned and moved like a drain (only those still
 * where the drain put them).
 */
export const undrainCommand: CommandImpl<UndrainRequest, UndrainResult, 'runner'> = {
  needs: 'runner',
  parse: (input) => ({
    host: input.args[0]!,
    return: input.flags.return === true,
    yes: input.flags.yes === true,
  }),
  async run(request, services, caller) {
    const { config, executor, runner, store } = services;
    const { host } = request;
    const hypervisors = config.cluster.hypervisors.map((hypervisor) => hypervisor.name);
    if (!hypervisors.includes(host)) {
      throw new LivemigError('unknown_host', `${host} is not a hypervisor of the inventory`, {
        hint: `Hypervisors: ${hypervisors.join(', ')}.`,
      });
    }
    await serviceEnable(executor, config.cluster.controller.name, { host });
    const enabled = `nova-compute on ${host} is enabled: nova schedules VMs there again.`;
    const result = (message: string, returned: UndrainResult['returned'] = null): UndrainResult => ({
      kind: 'undrain',
      host,
      returned,
      message,
    });
    if (!request.return) return result(enabled);
    const moved = lastDrainMoves(store.listRequests(), (id) => store.getMigration(id), host);
    if (moved === null)
      return result(`${enabled} No earlier drain of ${host} moved a VM away: nothing to bring back.`);
    // Only what is still where the drain put it: anything moved since is someone else's decision.
    const facts = await gatherDrainFacts(services, {
      sources: [...new Set(moved.moves.map((move) => move.destination))],
      allowedDestinations: [host],
      onlyVms: moved.moves.map((move) => move.uuid),
      migrationInProgress: (uuid) => runner.hasUnfinishedMigration(uuid),
    });
    const plan = planDrain(facts, { limits: config.limits, allowedDestinations: [host] });
    const returned = { drainId: moved.drainId, plan, run: null };
    caller.onEvent?.({ kind: 'text', text: renderPlan(plan, `Return to ${host} (drain ${moved.drainId})`) });
    if (plan.assignments.length === 0)
      return result(`${enabled} Nothing of drain ${moved.drainId} can come back now.`, returned);
    if (!request.yes) {
      if (caller.confirm === null) {
        return result(
          `${enabled} Nothing was moved back (not confirmed: not a terminal, so pass --yes).`,
          returned,
        );
      }
      if (!(await caller.confirm(`Move ${plan.assignments.length} VM(s) back to ${host}? [y/N] `))) {
        return result(`${enabled} Nothing was moved back (not confirmed).`, returned);
      }
    }
    const run = await runShowingProgress(services, caller, plan, {
      actor: caller.actor,
      disableSources: false,
      continueOnFailure: true,
    });
    const back = run.moves.filter((move) => move.state === 'succeeded').length;
    return result(
      `${enabled} ${back} of ${run.moves.length} VM(s) of drain ${moved.drainId} are back on ${host}.`,
      {
        ...returned,
        run,
      },
    );
  },
  renderText: (result) => {
    const lines = [result.message];
    for (const move of result.returned?.run?.moves ?? []) lines.push(`  ${moveLine(move)}`);
    for (const vm of result.returned?.plan.unmovable ?? [])
      lines.push(`  ${vm.vm.name} stays on ${vm.source}: ${vm.explanation}`);
    return `${lines.join('\n')}\n`;
  },
  exitCode: (result) =>
    result.returned?.run && result.returned.run.moves.some((move) => move.state !== 'succeeded') ? 1 : 0,
};

/** The moves of `host`'s last drain that succeeded: each VM and where the drain put it. */
function lastDrainMoves(
  requests: readonly RequestRecord[],
  migrationOf: (id: string) => MigrationRecord | undefined,
  host: string,
): { drainId: string; moves: { uuid: string; destination: string }[] } | null {
  const ofHost = requests.filter((r) => r.drainId !== undefined && r.source === host);
  const last = ofHost.reduce<RequestRecord | null>(
    (a, b) => (a === null || b.createdAt > a.createdAt ? b : a),
    null,
  );
  if (last === null) return null;
  const moves = ofHost
    .filter((r) => r.drainId === last.drainId && r.migrationId !== undefined)
    .map((r) => migrationOf(r.migrationId!))
    .filter((m): m is MigrationRecord => m?.state === 'succeeded')
    .map((m) => ({ uuid: m.vm.uuid, destination: m.destination }));
  return moves.length === 0 ? null : { drainId: last.drainId!, moves };
}

/** Runs the plan with the runner's progress shown to the caller (the terminal's bar and lines). */
async function runShowingProgress(
  services: RunnerServices,
  caller: Caller,
  plan: DrainPlan,
  options: DrainRunOptions,
): Promise<DrainRunResult> {
  const unsubscribe = caller.onEvent
    ? services.runner.subscribe((event) => caller.onEvent!({ kind: 'progress', event }))
    : () => undefined;
  try {
    return await runDrain(services, plan, options);
  } finally {
    unsubscribe();
  }
}

function isEmpty(source: SourceAfterDrain): boolean {
  return (
    source.servers !== null &&
    source.servers.length === 0 &&
    source.domains !== null &&
    source.domains.length === 0
  );
}

/** The plan: each move in start order, what stays and why, and the predicted time. */
export function renderPlan(plan: DrainPlan, title = `Drain ${plan.sources.join(', ')}`): string {
  const lines = [`${title}: ${plan.assignments.length} VM(s) move, ${plan.unmovable.length} cannot.`];
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
  const servers = source.servers?.map((server) => `${server.name} (${server.status})`) ?? [];
  const domains = source.domains?.map((domain) => `${domain.name} (${domain.state})`) ?? [];
  const lines = [
    `${source.host}: nova-compute disabled; nova lists ${servers.length === 0 ? 'no server' : servers.join(', ')}; libvirt lists ${domains.length === 0 ? 'no domain' : domains.join(', ')}.`,
  ];
  for (const error of source.errors) lines.push(`  could not ask: ${error}`);
  lines.push(`  After the maintenance: livemig undrain ${source.host}`);
  return lines;
}
