import { describe, expect, it } from 'vitest';
import { type RouteContext, routeCommand } from '../../../src/slack/route/route-command.js';
import { closestWord, editDistance } from '../../../src/util/closest-word.js';

const hosts = ['node01', 'node05', 'node10'];
const operator: RouteContext = { mayRequest: true, mayApprove: false, hosts };
const approver: RouteContext = { mayRequest: true, mayApprove: true, hosts };
const onlooker: RouteContext = { mayRequest: false, mayApprove: false, hosts };

describe('/migrate text router', () => {
  it('reads `/migrate VM HOST` as a migration request', () => {
    expect(routeCommand('dstest node10', operator)).toEqual({
      kind: 'migrate',
      request: { vm: 'dstest', destination: 'node10', blockMigrate: false, allowForceComplete: false },
    });
    expect(routeCommand('  dstest   node10 --block-migrate ', operator)).toMatchObject({
      kind: 'migrate',
      request: { blockMigrate: true },
    });
  });

  it('reaches a VM named like a subcommand with `/migrate migrate VM HOST`', () => {
    expect(routeCommand('migrate status node10', operator)).toMatchObject({
      kind: 'migrate',
      request: { vm: 'status', destination: 'node10' },
    });
  });

  it('routes every subcommand word', () => {
    expect(routeCommand('check dstest node10', onlooker)).toMatchObject({
      kind: 'check',
      request: { vm: 'dstest' },
    });
    expect(routeCommand('reboot dstest', operator)).toEqual({ kind: 'reboot', vm: 'dstest' });
    expect(routeCommand('cancel req-12', operator)).toEqual({ kind: 'cancel', id: 'req-12' });
    expect(routeCommand('history --limit 5 --vm dstest', onlooker)).toEqual({
      kind: 'history',
      request: { limit: 5, vm: 'dstest' },
    });
    for (const kind of ['status', 'hosts', 'baseline', 'audit'] as const)
      expect(routeCommand(kind, onlooker)).toEqual({ kind });
    expect(routeCommand('', onlooker)).toMatchObject({ kind: 'help' });
    expect(routeCommand('HELP', onlooker)).toMatchObject({ kind: 'help' });
  });

  it('answers a typo with the closest subcommand', () => {
    const routed = routeCommand('stauts', operator);
    expect(routed.kind).toBe('refused');
    if (routed.kind === 'refused') expect(routed.text).toContain('Did you mean `/migrate status`?');
    const twoWords = routeCommand('cancle req-1', operator);
    if (twoWords.kind !== 'refused') throw new Error('expected a refusal');
    expect(twoWords.text).toContain('`/migrate cancel`');
    expect(twoWords.text).toContain('`req-1` is not a hypervisor');
  });

  it('says what to do when arguments are missing or wrong', () => {
    const routed = routeCommand('check dstest', operator);
    expect(routed).toMatchObject({ kind: 'refused', text: expect.stringContaining('usage: check VM HOST') });
    expect(routeCommand('history --limit lots', operator)).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining('--limit'),
    });
    expect(routeCommand('status now', operator)).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining('takes no arguments'),
    });
  });

  it('refuses migrate, reboot and cancel to someone who is not a requester, and hides them from their help', () => {
    for (const text of ['dstest node10', 'migrate dstest node10', 'reboot dstest', 'cancel req-1']) {
      expect(routeCommand(text, onlooker)).toMatchObject({
        kind: 'refused',
        text: expect.stringContaining('approval.requesters'),
      });
    }
    const help = routeCommand('help', onlooker);
    if (help.kind !== 'help') throw new Error('expected help');
    expect(help.help.entries.map((e) => e.name)).not.toContain('migrate');
    expect(help.help.entries.map((e) => e.name)).toContain('status');
    expect(help.help.approverNote).toBeNull();
  });

  it('tells approvers how to approve and requesters how to request', () => {
    const forApprover = routeCommand('help', approver);
    const forOperator = routeCommand('help', operator);
    if (forApprover.kind !== 'help' || forOperator.kind !== 'help') throw new Error('expected help');
    expect(forApprover.help.approverNote).toContain('Approve');
    expect(forOperator.help.approverNote).toBeNull();
    expect(forOperator.help.entries.map((e) => e.name)).toEqual(
      expect.arrayContaining(['migrate', 'reboot', 'cancel']),
    );
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
