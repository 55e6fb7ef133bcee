import { describe, expect, it } from 'vitest';
import { helpFor } from '../../../commands/help.js';
import { findBlockKitViolations } from '../../../src/sim/index.js';
import { errorReply, helpReply, textResultReply } from '../../../src/slack/blocks/command-reply.js';
import {
  campaignCard,
  drainCard,
  drainMilestone,
  drainNotice,
  drainPlanReply,
  drainStatus,
  hostReadyMessage,
} from '../../../src/slack/blocks/drain-blocks.js';
import { homeView } from '../../../src/slack/blocks/home-view.js';
import type { SlackMessage } from '../../../src/slack/blocks/kit.js';
import { rebootCard, rebootWarning } from '../../../src/slack/blocks/reboot-blocks.js';
import { requestCard } from '../../../src/slack/blocks/request-card.js';
import { statusMessage } from '../../../src/slack/blocks/status-message.js';
import {
  failedReply,
  finishedReply,
  milestoneReply,
  notificationMessage,
} from '../../../src/slack/blocks/thread-replies.js';
import type { CampaignRecord, DrainMoveRecord, DrainRecord } from '../../../src/store/types.js';
import { awaitingRequest, runningMigration } from './fixtures.js';

/** A drain of 300 VMs with hostile names, in every move state, and more it cannot move. */
function bigDrain(overrides: Partial<DrainRecord> = {}): DrainRecord {
  const states: DrainMoveRecord['state'][] = [
    'queued',
    'running',
    'succeeded',
    'failed',
    'blocked',
    'not_started',
  ];
  const moves: DrainMoveRecord[] = Array.from({ length: 300 }, (_, i) => ({
    vm: { uuid: `u-${i}`, name: `vm<${i}>&` },
    source: 'node05',
    destination: `node<${i % 9}>`,
    order: i + 1,
    predicted: { durationMs: 10_000, pauseMs: i % 2 ? null : 120, live: i % 7 !== 0, warnings: ['<w>'] },
    state: states[i % states.length]!,
    migrationId: `mig-${i}`,
    message: 'nova <said> & no',
    pauseMs: 100,
    durationMs: 9000,
  }));
  return {
    id: 'drn-0001',
    version: 1,
    createdAt: 0,
    updatedAt: 0,
    kind: 'drain',
    sources: ['node05'],
    requester: { id: 'U0ALICE01', via: 'slack', name: 'alice' },
    options: { continueOnFailure: false, acceptedDowntimeMs: 45_000 },
    state: 'running',
    decisions: [{ kind: 'approved', actor: { id: 'U0BOB0001', via: 'slack' }, at: 1 }],
    expiresAt: 3_600_000,
    plannedAt: 0,
    moves,
    left: Array.from({ length: 40 }, (_, i) => ({
      vm: { uuid: `l-${i}`, name: `left<${i}>` },
      source: 'node05',
      reason: 'needs-hard-reboot',
      explanation: 'booted <before> the baseline & more',
      fix: 'nova reboot --hard <uuid>',
    })),
    notes: [],
    predictedMakespanMs: 600_000,
    lowerBoundMs: 500_000,
    planChanges: ['vm<1> now goes to node<2>'],
    startedAt: 1,
    stoppedBecause: 'vm<3> failed',
    leftOnSources: [
      {
        host: 'node05',
        servers: [{ name: 'x<y>', uuid: 'u', status: 'ACTIVE' }],
        domains: [],
        errors: ['<e>'],
      },
    ],
    ...overrides,
  };
}

function campaign(overrides: Partial<CampaignRecord> = {}): CampaignRecord {
  return {
    id: 'mnt-0001',
    version: 1,
    createdAt: 0,
    updatedAt: 0,
    requester: { id: 'U0ALICE01', via: 'slack' },
    options: { continueOnFailure: false, returnVms: true },
    state: 'awaiting_approval',
    decisions: [],
    expiresAt: 1,
    hosts: Array.from({ length: 30 }, (_, i) => ({
      host: `node<${i}>`,
      step: 'waiting' as const,
      message: `3 VM(s) move, 1 stay (a<b>: hard reboot & more)`.repeat(5),
    })),
    ...overrides,
  };
}

const vm = { uuid: '6f1d2c3b-0000-4000-8000-00000000d5e5', name: 'dstest' };
const base = { migrationId: 'mig-0001', requestId: 'req-0001', vm, at: 0 };
const secrets = ['xoxb-', 'xapp-', 'sim-signing-secret'];

/** Every mrkdwn text object in `value` (plain_text is shown literally, so it needs no escaping). */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = record.type === 'mrkdwn' && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap(mrkdwnTexts)];
}

/** Every builder, with hostile and oversized inputs. */
function allMessages(): [string, SlackMessage][] {
  const decided = awaitingRequest({
    state: 'rejected',
    decisions: [
      { kind: 'rejected', actor: { id: 'U0BOB0001', via: 'slack' }, at: 1, reason: 'not <now> & never' },
    ],
  });
  const progress = {
    memoryProcessedBytes: 2 * 2 ** 30,
    memoryRemainingBytes: 2 * 2 ** 30,
    memoryTotalBytes: 4 * 2 ** 30,
    bandwidthBytesPerSec: 117 * 2 ** 20,
    dirtyRateBytesPerSec: 10 * 2 ** 20,
    iteration: 2,
    expectedDowntimeMs: 200,
    etaMs: 18_000,
  };
  return [
    [
      'awaiting card',
      requestCard(awaitingRequest({ flavor: { name: 'm1.<large>', ramMiB: 4096, vcpus: 2 } })),
    ],
    ['blocked card', requestCard(awaitingRequest({ state: 'blocked' }))],
    ['rejected card', requestCard(decided)],
    ['status', statusMessage({ migration: runningMigration(), progress, queue: null })],
    [
      'status done',
      statusMessage({
        migration: runningMigration({
          state: 'succeeded',
          result: { durationMs: 1, downtimeMs: 1, dataSentBytes: 1 },
        }),
        progress: null,
        queue: null,
      }),
    ],
    ['milestone', milestoneReply({ ...base, kind: 'milestone', milestone: 'switched_over', detail: '<b>' })],
    [
      'finished',
      finishedReply(
        { ...base, kind: 'finished', durationMs: 40_000, downtimeMs: 200, dataSentBytes: 5e9 },
        'node10',
      ),
    ],
    [
      'failed',
      failedReply({
        ...base,
        kind: 'failed',
        message: 'nova <said> no',
        step: 'live_migrate',
        logExcerpt: 'ERROR <x>\n'.repeat(2000),
      }),
    ],
    [
      'notification',
      notificationMessage(
        'failed',
        { vm: 'a<b', source: 'node05', destination: 'node10', detail: '&' },
        'https://x.slack.com/archives/C1/p1',
      ),
    ],
    ['reboot warning', rebootWarning(vm, 'needs a <HARD> reboot')],
    [
      'reboot card',
      rebootCard(
        awaitingRequest({
          kind: 'reboot',
          vm,
          destination: 'node05',
          reboot: { liveCpu: 'Sandy<Bridge>', configuredCpu: 'Westmere' },
        }),
      ),
    ],
    ['help', helpReply(helpFor({ mayRequest: true, mayApprove: true }, 'slack'), "I don't know `<x>`")],
    ['error', errorReply('bad & <worse>')],
    ['text result', textResultReply('audit', 'line <1>\n'.repeat(3000))],
    ['drain card', drainCard(bigDrain({ state: 'awaiting_approval', decisions: [] }))],
    ['drain card decided', drainCard(bigDrain())],
    ['drain plan', drainPlanReply(bigDrain())],
    ['drain status', drainStatus(bigDrain(), new Map([['mig-1', 0.45]]), 10)],
    ['drain stopped', drainStatus(bigDrain({ state: 'stopped' }), new Map(), 10)],
    ['drain finished', drainStatus(bigDrain({ state: 'finished', finishedAt: 9 }), new Map(), 10)],
    ['drain milestone', drainMilestone(bigDrain(), bigDrain().moves[3], 'move_finished')!],
    ['drain notice', drainNotice(bigDrain(), 'https://x.slack.com/archives/C1/p1')],
    ['campaign card', campaignCard(campaign())],
    ['campaign running', campaignCard(campaign({ state: 'running' }))],
    [
      'host ready',
      hostReadyMessage(campaign(), 'node<1>', 'node<1> is empty & disabled: do your maintenance'),
    ],
  ];
}

describe("Block Kit builders keep to Slack's rules", () => {
  it.each(allMessages())(
    '%s: within limits, fallback text set, user text escaped, no secret',
    (_name, built) => {
      expect(built.text.length).toBeGreaterThan(0);
      expect(built.blocks.length).toBeLessThanOrEqual(50);
      expect(findBlockKitViolations(built.blocks, 'message')).toEqual([]);
      const json = JSON.stringify(built.blocks);
      for (const secret of secrets) expect(json).not.toContain(secret);
      for (const text of mrkdwnTexts(built.blocks)) {
        expect(text).not.toMatch(/<(?![@#]|!date\^|https:)[a-z!]/i);
        expect(text).not.toContain('<!channel>');
      }
    },
  );

  it('offers Approve (with a confirm dialog), Reject and Cancel only while a request awaits approval', () => {
    const card = requestCard(awaitingRequest());
    const buttons = card.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => b.action_id)).toEqual(['request_approve', 'request_reject', 'request_cancel']);
    expect(buttons[0]).toMatchObject({ style: 'primary', confirm: expect.any(Object), value: 'req-0001' });
    for (const state of ['approved', 'rejected', 'expired', 'cancelled', 'blocked', 'failed'] as const) {
      const after = requestCard(
        awaitingRequest({
          state,
          decisions: [{ kind: 'approved', actor: { id: 'U0BOB0001', via: 'slack' }, at: 5 }],
        }),
      );
      expect(after.blocks.some((b) => b.type === 'actions')).toBe(false);
    }
  });

  it('shows who decided and when after a decision, and the reason of a rejection', () => {
    const card = requestCard(
      awaitingRequest({
        state: 'rejected',
        decisions: [
          {
            kind: 'rejected',
            actor: { id: 'U0BOB0001', via: 'slack' },
            at: Date.UTC(2026, 0, 1, 10),
            reason: 'freeze week',
          },
        ],
      }),
    );
    expect(JSON.stringify(card.blocks)).toContain('*REJECTED* by <@U0BOB0001> at <!date^1767261600^');
    expect(JSON.stringify(card.blocks)).toContain('freeze week');
  });

  it('says a blocked request is blocked, with the failing check and its fix', () => {
    const card = requestCard(
      awaitingRequest({
        state: 'blocked',
        checks: {
          verdict: 'block',
          at: 0,
          checks: [
            {
              id: 'guest-cpu',
              title: 'Guest CPU',
              status: 'block',
              explanation: 'node10 lacks avx',
              fix: 'nova reboot --hard dstest',
            },
          ],
        },
      }),
    );
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('⛔ *Guest CPU*: node10 lacks avx');
    expect(json).toContain('nova reboot --hard dstest');
    expect(json).toContain('*Blocked*');
  });

  it('keeps the end of a long nova-compute.log in the failure reply', () => {
    const reply = failedReply({
      ...base,
      kind: 'failed',
      message: 'nova failed',
      step: null,
      logExcerpt: `${'noise\n'.repeat(1000)}ERROR the real cause`,
    });
    expect(JSON.stringify(reply.blocks)).toContain('ERROR the real cause');
  });

  it('the Home lists pending, running and finished work and fits in one view', () => {
    const many = Array.from({ length: 40 }, (_, i) => awaitingRequest({ id: `req-${i}` }));
    const view = homeView({
      pending: many,
      running: [runningMigration()],
      history: [],
      drains: [bigDrain()],
      campaigns: [campaign({ state: 'running' })],
      fleet: null,
      fleetRefreshing: false,
    });
    expect(findBlockKitViolations(view.blocks, 'home')).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('Awaiting approval (40)');
    expect(JSON.stringify(view.blocks)).toContain('and 30 more');
    expect(JSON.stringify(view.blocks)).toContain('Drains and maintenance (2)');
  });
});
