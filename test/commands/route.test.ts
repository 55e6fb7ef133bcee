import { describe, expect, it } from 'vitest';
import { helpFor } from '../../commands/help.js';
import { commandsOn, usageOf } from '../../commands/registry.js';
import {
  closestWord,
  editDistance,
  type RouteContext,
  type RoutedCommand,
  routeCommand,
} from '../../commands/route.js';

/** What the router runs for `text`: the command and its request as the command parses it. */
async function routed(text: string, context: RouteContext) {
  const route: RoutedCommand = await routeCommand(text, context);
  if (route.kind !== 'run') return route;
  return { kind: route.entry.name, request: route.request };
}

const hosts = ['node01', 'node05', 'node10'];
const operator: RouteContext = { mayRequest: true, mayApprove: false, hosts };
const approver: RouteContext = { mayRequest: true, mayApprove: true, hosts };
const onlooker: RouteContext = { mayRequest: false, mayApprove: false, hosts };

describe('/migrate text router', () => {
  it('reads `/migrate VM HOST` as a migration request', async () => {
    expect(await routed('dstest node10', operator)).toEqual({
      kind: 'migrate',
      request: {
        vm: 'dstest',
        destination: 'node10',
        blockMigrate: false,
        yes: false,
      },
    });
    expect(await routed('  dstest   node10 --block-migrate ', operator)).toMatchObject({
      kind: 'migrate',
      request: { blockMigrate: true },
    });
  });

  it('takes an accepted pause on /migrate, and refuses one without a unit with a usage answer', async () => {
    expect(await routed('dstest node10 --accept-downtime 60s', operator)).toMatchObject({
      kind: 'migrate',
      request: { acceptedDowntimeMs: 60_000 },
    });
    expect(await routed('dstest node10 --accept-downtime 60', operator)).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining(
        '--accept-downtime needs a duration with a unit, like 45s or 2m (got "60")',
      ),
    });
  });

  it('reaches a VM named like a subcommand with `/migrate migrate VM HOST`', async () => {
    expect(await routed('migrate status node10', operator)).toMatchObject({
      kind: 'migrate',
      request: { vm: 'status', destination: 'node10' },
    });
  });

  it('routes every subcommand word', async () => {
    expect(await routed('check dstest node10', onlooker)).toMatchObject({
      kind: 'check',
      request: { vm: 'dstest' },
    });
    expect(await routed('reboot dstest', operator)).toEqual({
      kind: 'reboot',
      request: { vm: 'dstest', yes: false, force: false },
    });
    expect(await routed('cancel req-12', operator)).toEqual({ kind: 'cancel', request: { id: 'req-12' } });
    expect(await routed('history --limit 5 --vm dstest', onlooker)).toEqual({
      kind: 'history',
      request: { limit: 5, vm: 'dstest' },
    });
    for (const kind of ['status', 'hosts', 'baseline', 'audit'] as const)
      expect(await routed(kind, onlooker)).toEqual({ kind, request: {} });
    expect(await routed('', onlooker)).toMatchObject({ kind: 'help' });
    expect(await routed('HELP', onlooker)).toMatchObject({ kind: 'help' });
  });

  it('does not offer terminal-only flags on Slack', async () => {
    expect(await routeCommand('reboot dstest --force', operator)).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining('unknown option --force'),
    });
    expect(await routeCommand('dstest node10 --yes', operator)).toMatchObject({ kind: 'refused' });
  });

  it('names an unknown destination rather than the VM', async () => {
    const route = await routeCommand('dstest node99', operator);
    expect(route).toMatchObject({ kind: 'refused' });
    if (route.kind === 'refused') {
      expect(route.text).toMatch(/^`node99` is not a hypervisor in the inventory \(node01, node05, node10\)/);
      expect(route.text).not.toContain("don't know `dstest`");
    }
  });

  it('answers a typo with the closest subcommand', async () => {
    const route = await routeCommand('stauts', operator);
    expect(route.kind).toBe('refused');
    if (route.kind === 'refused') expect(route.text).toContain('Did you mean `/migrate status`?');
    const twoWords = await routeCommand('cancle req-1', operator);
    if (twoWords.kind !== 'refused') throw new Error('expected a refusal');
    expect(twoWords.text).toContain('`/migrate cancel`');
    expect(twoWords.text).toContain('`req-1` is not a hypervisor');
  });

  it('says what to do when arguments are missing or wrong', async () => {
    const route = await routeCommand('check dstest', operator);
    expect(route).toMatchObject({ kind: 'refused', text: expect.stringContaining('usage: check VM HOST') });
    expect(await routeCommand('history --limit lots', operator)).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining('--limit'),
    });
    expect(await routeCommand('status now', operator)).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining('takes no arguments'),
    });
  });

  it('refuses migrate, reboot and cancel to someone who is not a requester, and hides them from their help', async () => {
    for (const text of ['dstest node10', 'migrate dstest node10', 'reboot dstest', 'cancel req-1']) {
      expect(await routeCommand(text, onlooker)).toMatchObject({
        kind: 'refused',
        text: expect.stringContaining('approval.requesters'),
      });
    }
    const help = helpFor(onlooker, 'slack');
    expect(help.entries.map((e) => e.name)).not.toContain('migrate');
    expect(help.entries.map((e) => e.name)).toContain('status');
    expect(help.approverNote).toBeNull();
  });

  it('tells approvers how to approve and requesters how to request', () => {
    const forApprover = helpFor(approver, 'slack');
    const forOperator = helpFor(operator, 'slack');
    expect(forApprover.approverNote).toContain('Approve');
    expect(forOperator.approverNote).toBeNull();
    expect(forOperator.entries.map((e) => e.name)).toEqual(
      expect.arrayContaining(['migrate', 'reboot', 'cancel']),
    );
  });
});

describe('one registry for both surfaces', () => {
  it('Slack help lists exactly the registry commands that exist on Slack, in registry order', () => {
    expect(helpFor(approver, 'slack').entries.map((e) => e.name)).toEqual(
      commandsOn('slack').map((entry) => entry.name),
    );
    expect(commandsOn('slack').map((entry) => entry.name)).toEqual([
      'migrate',
      'check',
      'reboot',
      'drain',
      'undrain',
      'maintenance',
      'cancel',
      'status',
      'history',
      'hosts',
      'baseline',
      'audit',
      'help',
    ]);
  });

  it('shows a terminal-only flag in CLI usage and not on Slack', () => {
    const reboot = commandsOn('cli').find((entry) => entry.name === 'reboot')!;
    expect(usageOf(reboot, 'cli')).toBe('reboot VM [--yes] [--force]');
    expect(usageOf(reboot, 'slack')).toBe('reboot VM');
    const migrate = commandsOn('slack').find((entry) => entry.name === 'migrate')!;
    expect(usageOf(migrate, 'slack')).toMatch(/^VM HOST /);
  });
});

describe('closest subcommand', () => {
  it('measures edits', () => {
    expect(editDistance('stauts', 'status')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests only plausible typos', () => {
    expect(closestWord('histroy', ['history', 'hosts'])).toBe('history');
    expect(closestWord('dstest', ['status', 'check'])).toBeNull();
    expect(closestWord('x', ['hosts'])).toBeNull();
  });
});
