/**
 * `drain HOST... [--to HOST,...] [--accept-downtime D] [--continue-on-failure] [--dry-run] [--yes]`
 * empties hypervisors for maintenance: plans where every VM goes (the pre-flight per pair,
 * capacity, limits, links) and records the drain (src/engine/drain/drains.ts). On a terminal the
 * operator's confirmation (or --yes) is the approval and the drain runs here to its end; on Slack
 * the plan's card waits for someone else's Approve. `undrain HOST [--return]` enables nova-compute
 * again and, with --return, plans bringing back what the host's last drain moved away.
 */
import { serviceEnable } from '../src/cluster/index.js';
import { type DrainPlanView, type DrainSpec, isDrainFinished, planView } from '../src/engine/drain/index.js';
import { LivemigError } from '../src/errors.js';
import type { DrainMoveRecord, DrainRecord, HostContents } from '../src/store/types.js';
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
  /** On Slack: the plan's card waits for an approver. */
  | 'awaiting_approval'
  | 'declined'
  /** Every source holds no VM of nova's and no domain of libvirt's. */
  | 'empty'
  /** Moves ran; something is still on a source (unmovable, failed or not started). */
  | 'not_empty';

export interface DrainResult {
  kind: 'drain';
  outcome: DrainOutcome;
  /** The plan as shown (a dry run's, or the drain's own). */
  plan: DrainPlanView;
  /** The recorded drain (null for a dry run): its moves, their outcomes, what is left. */
  drain: DrainRecord | null;
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
    const { drains, clock } = services;
    const spec: DrainSpec = {
      sources: request.sources,
      to: request.to,
      acceptedDowntimeMs: request.acceptedDowntimeMs,
      continueOnFailure: request.continueOnFailure,
    };
    if (request.dryRun) {
      const plan = planView(await drains.plan(spec), clock.now());
      return {
        kind: 'drain',
        outcome: 'planned',
        plan,
        drain: null,
        message: 'Nothing was changed (--dry-run).',
      };
    }
    // A drain of the same hosts that a stopped livemig left unfinished is carried on, not planned anew.
    const unfinished = drains.list(
      (d) =>
        d.kind === 'drain' &&
        !isDrainFinished(d.state) &&
        d.state !== 'awaiting_approval' &&
        sameHosts(d.sources, request.sources),
    )[0];
    if (unfinished && caller.surface === 'cli') {
      caller.onEvent?.({
        kind: 'text',
        text: `Carrying on drain ${unfinished.id} of ${unfinished.sources.join(', ')} (${unfinished.state}).\n`,
      });
      drains.reconcile();
      return drainResult(await followDrain(services, caller, unfinished.id, request.yes));
    }
    const created = await drains.create(spec, caller.actor);
    if (caller.surface === 'slack') {
      return {
        kind: 'drain',
        outcome: 'awaiting_approval',
        plan: created,
        drain: created,
        message: 'The drain waits for an approver (someone else).',
      };
    }
    const approved = await approveAtTerminal(services, caller, created, request.yes, (d) =>
      renderPlan(d, `Drain ${d.sources.join(', ')}`),
    );
    if (approved.declined !== null) return declinedResult(approved.drain, approved.declined);
    return drainResult(await followDrain(services, caller, approved.drain.id, request.yes));
  },
  renderText: renderDrainText,
  exitCode: (result) =>
    result.outcome === 'empty' || result.outcome === 'planned' || result.outcome === 'awaiting_approval'
      ? 0
      : 1,
};

/**
 * Shows the plan, asks (or takes --yes), and approves; a plan that changed at the approval is shown
 * again and asked about again. Returns the drain running, or cancelled with why it was declined.
 */
export async function approveAtTerminal(
  { drains }: RunnerServices,
  caller: Caller,
  drain: DrainRecord,
  yes: boolean,
  render: (drain: DrainRecord) => string,
): Promise<{ drain: DrainRecord; declined: string | null }> {
  let current = drain;
  for (;;) {
    caller.onEvent?.({ kind: 'text', text: render(current) });
    if (!yes) {
      const why =
        caller.confirm === null
          ? `not confirmed: not a terminal, so pass --yes${current.kind === 'drain' ? ' to drain' : ''}`
          : null;
      const confirmed = why === null && (await caller.confirm!(`${confirmQuestion(current)} [y/N] `));
      if (!confirmed) {
        const cancelled = await drains.cancel(current.id, caller.actor);
        return { drain: cancelled.drain ?? current, declined: why ?? 'not confirmed' };
      }
    }
    const decided = await drains.approve(current.id, caller.actor, { actorIsApprover: true });
    if (decided.outcome === 'approved') return { drain: decided.drain, declined: null };
    if (decided.outcome !== 'plan_changed') {
      throw new LivemigError(
        'state_conflict',
        `drain ${current.id}: ${'message' in decided ? decided.message : decided.outcome}`,
      );
    }
    caller.onEvent?.({
      kind: 'text',
      text: `The plan changed since it was made:\n${decided.changes.map((c) => `  ${c}`).join('\n')}\n`,
    });
    current = decided.drain;
  }
}

function confirmQuestion(drain: DrainRecord): string {
  if (drain.kind === 'return') return `Move ${drain.moves.length} VM(s) back to ${drain.returnOf!.host}?`;
  return `Disable nova-compute on ${drain.sources.join(', ')} and move ${drain.moves.length} VM(s) as planned?`;
}

/**
 * Follows a running drain here (the runner's progress on the terminal) until it ends. A failure
 * that stopped it asks whether to go on; without a terminal to ask, it ends there.
 */
export async function followDrain(
  { drains, runner }: RunnerServices,
  caller: Caller,
  id: string,
  yes: boolean,
): Promise<DrainRecord> {
  const unsubscribe = caller.onEvent
    ? runner.subscribe((event) => caller.onEvent!({ kind: 'progress', event }))
    : () => undefined;
  try {
    for (;;) {
      const drain = await drains.settled(id);
      if (isDrainFinished(drain.state)) return drain;
      const left = drain.moves.filter((m) => m.state === 'queued').length;
      const goOn =
        drain.state !== 'cancelling' &&
        !yes &&
        caller.confirm !== null &&
        (await caller.confirm(
          `${drain.stoppedBecause ?? drain.state}: go on with the ${left} move(s) left? [y/N] `,
        ));
      if (goOn) await drains.resume(id, caller.actor);
      else await drains.cancel(id, caller.actor);
    }
  } finally {
    unsubscribe();
  }
}

function declinedResult(drain: DrainRecord, why: string): DrainResult {
  return { kind: 'drain', outcome: 'declined', plan: drain, drain, message: `Nothing was changed (${why}).` };
}

function drainResult(drain: DrainRecord): DrainResult {
  const empty = (drain.leftOnSources ?? []).every(isEmpty) && (drain.leftOnSources ?? []).length > 0;
  return {
    kind: 'drain',
    outcome: empty ? 'empty' : 'not_empty',
    plan: drain,
    drain,
    message: drainSummary(drain),
  };
}

function sameHosts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((host) => b.includes(host));
}

export interface UndrainRequest {
  host: string;
  /** Also move back the VMs the host's last drain moved away (still where it put them). */
  return: boolean;
  yes: boolean;
}

export interface UndrainResult {
  kind: 'undrain';
  host: string;
  /** With --return: the drain bringing the VMs back (awaiting approval on Slack). */
  returned: DrainRecord | null;
  message: string;
}

/**
 * `undrain HOST [--return] [--yes]`: nova-compute on HOST takes new VMs again; with --return, the
 * VMs HOST's last drain moved away come back, planned, approved and moved like a drain (only
 * those still where the drain put them).
 */
export const undrainCommand: CommandImpl<UndrainRequest, UndrainResult, 'runner'> = {
  needs: 'runner',
  parse: (input) => ({
    host: input.args[0]!,
    return: input.flags.return === true,
    yes: input.flags.yes === true,
  }),
  async run(request, services, caller) {
    const { config, executor, drains } = services;
    const { host } = request;
    const hypervisors = config.cluster.hypervisors.map((hypervisor) => hypervisor.name);
    if (!hypervisors.includes(host)) {
      throw new LivemigError('unknown_host', `${host} is not a hypervisor of the inventory`, {
        hint: `Hypervisors: ${hypervisors.join(', ')}.`,
      });
    }
    await serviceEnable(executor, config.cluster.controller.name, { host });
    const enabled = `nova-compute on ${host} is enabled: nova schedules VMs there again.`;
    const result = (message: string, returned: DrainRecord | null = null): UndrainResult => ({
      kind: 'undrain',
      host,
      returned,
      message,
    });
    if (!request.return) return result(enabled);
    const spec = drains.returnSpec(host);
    if (spec === null)
      return result(`${enabled} No earlier drain of ${host} moved a VM away: nothing to bring back.`);
    const created = await drains.create(spec, caller.actor);
    const of = spec.returnOf!.drainId;
    if (created.moves.length === 0) {
      caller.onEvent?.({ kind: 'text', text: renderPlan(created, returnTitle(created)) });
      const cancelled = (await drains.cancel(created.id, caller.actor)).drain ?? created;
      return result(`${enabled} Nothing of drain ${of} can come back now.`, cancelled);
    }
    if (caller.surface === 'slack') return result(`${enabled} Moving back waits for an approver.`, created);
    const approved = await approveAtTerminal(services, caller, created, request.yes, (d) =>
      renderPlan(d, returnTitle(d)),
    );
    if (approved.declined !== null)
      return result(`${enabled} Nothing was moved back (${approved.declined}).`, approved.drain);
    const back = await followDrain(services, caller, approved.drain.id, request.yes);
    const count = back.moves.filter((move) => move.state === 'succeeded').length;
    return result(
      `${enabled} ${count} of ${back.moves.length} VM(s) of drain ${of} are back on ${host}.`,
      back,
    );
  },
  renderText: (result) => {
    const lines = [result.message];
    const back = result.returned;
    if (back?.state === 'finished' || back?.state === 'cancelled')
      for (const move of back.moves) lines.push(`  ${moveLine(move)}`);
    for (const vm of back?.left ?? []) lines.push(`  ${vm.vm.name} stays on ${vm.source}: ${vm.explanation}`);
    return `${lines.join('\n')}\n`;
  },
  exitCode: (result) =>
    result.returned?.state === 'finished' && result.returned.moves.some((move) => move.state !== 'succeeded')
      ? 1
      : 0,
};

function returnTitle(drain: DrainRecord): string {
  return `Return to ${drain.returnOf!.host} (drain ${drain.returnOf!.drainId})`;
}

function isEmpty(source: HostContents): boolean {
  return (
    source.servers !== null &&
    source.servers.length === 0 &&
    source.domains !== null &&
    source.domains.length === 0
  );
}

/** The plan: each move in start order, what stays and why, and the predicted time. */
export function renderPlan(plan: DrainPlanView, title = `Drain ${plan.sources.join(', ')}`): string {
  const lines = [`${title}: ${plan.moves.length} VM(s) move, ${plan.left.length} cannot.`];
  for (const move of plan.moves) {
    const warnings =
      move.predicted.warnings.length > 0 ? ` (warnings: ${move.predicted.warnings.join(', ')})` : '';
    lines.push(
      `  ${move.order}. ${move.vm.name} ${move.source} → ${move.destination}: ${courseOf(move)}${warnings}`,
    );
  }
  if (plan.left.length > 0) lines.push('Cannot move:');
  for (const vm of plan.left)
    lines.push(`  ${vm.vm.name} on ${vm.source}: ${vm.explanation}`, `    fix: ${vm.fix}`);
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  if (plan.moves.length > 0) {
    lines.push(
      `Predicted: ~${formatDuration(plan.predictedMakespanMs)} in all (no schedule under these limits can beat ~${formatDuration(plan.lowerBoundMs)}).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The predicted course; without a dirty rate the duration is a floor and the pause unknown. */
export function courseOf(move: DrainMoveRecord): string {
  const p = move.predicted;
  if (!p.live) return `~${formatDuration(p.durationMs)}, guest paused throughout (no VIR_MIGRATE_LIVE)`;
  if (p.pauseMs === null) {
    return `at least ~${formatDuration(p.durationMs)}, pause unknown (dirty rate not measurable before the copy)`;
  }
  return `~${formatDuration(p.durationMs)}, pause ~${formatDuration(p.pauseMs)}`;
}

/** Moved / left / failed, the time against the prediction. */
export function drainSummary(drain: DrainRecord): string {
  const moved = drain.moves.filter((move) => move.state === 'succeeded').length;
  const elapsed = formatDuration((drain.finishedAt ?? 0) - (drain.startedAt ?? drain.createdAt));
  const predicted = formatDuration(drain.predictedMakespanMs);
  const how = drain.state === 'cancelled' && !drain.stoppedBecause ? ' (cancelled)' : '';
  return `${moved} of ${drain.moves.length} planned move(s) done in ${elapsed}${how} (predicted ~${predicted}); ${drain.left.length} VM(s) could not move.`;
}

export function renderDrainText(result: DrainResult): string {
  const drain = result.drain;
  if (drain === null || result.outcome === 'awaiting_approval' || result.outcome === 'declined') {
    const plan =
      result.outcome === 'planned' || result.outcome === 'awaiting_approval' ? renderPlan(result.plan) : '';
    return `${plan}${result.outcome.toUpperCase().replace('_', ' ')}: ${result.message}\n`;
  }
  const lines = [`${result.outcome === 'empty' ? 'EMPTY' : 'NOT EMPTY'}: ${result.message}`];
  for (const move of drain.moves) lines.push(`  ${moveLine(move)}`);
  for (const vm of drain.left) lines.push(`  ${vm.vm.name}: stays on ${vm.source} (${vm.fix})`);
  for (const source of drain.leftOnSources ?? []) lines.push(...sourceLines(source));
  return `${lines.join('\n')}\n`;
}

export function moveLine(move: DrainMoveRecord): string {
  const head = `${move.vm.name} ${move.source} → ${move.destination}: ${move.state.replace('_', ' ')}`;
  if (move.state === 'succeeded') {
    const pause = move.pauseMs == null ? '' : `, pause ${formatDuration(move.pauseMs)}`;
    return `${head} (${formatDuration(move.durationMs ?? 0)}${pause})`;
  }
  return `${head}: ${move.message}`;
}

/** What nova and libvirt still list on a drained host, and how to enable it again. */
export function sourceLines(source: HostContents): string[] {
  const servers = source.servers?.map((server) => `${server.name} (${server.status})`) ?? [];
  const domains = source.domains?.map((domain) => `${domain.name} (${domain.state})`) ?? [];
  const lines = [
    `${source.host}: nova-compute disabled; nova lists ${servers.length === 0 ? 'no server' : servers.join(', ')}; libvirt lists ${domains.length === 0 ? 'no domain' : domains.join(', ')}.`,
  ];
  for (const error of source.errors) lines.push(`  could not ask: ${error}`);
  lines.push(`  After the maintenance: livemig undrain ${source.host}`);
  return lines;
}
