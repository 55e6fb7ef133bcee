import { describe, expect, it } from 'vitest';
import { checklistReply } from '../../../src/slack/blocks/checklist.js';
import { requestCard } from '../../../src/slack/blocks/request-card.js';
import { cancelledReply, milestoneReply } from '../../../src/slack/blocks/thread-replies.js';
import { rebootWarningText } from '../../../src/slack/cards.js';
import type { CheckLine } from '../../../src/store/types.js';
import { awaitingRequest } from './fixtures.js';

const pass = (id: string, title: string): CheckLine => ({
  id,
  title,
  status: 'pass',
  explanation: `${title} is fine`,
});

/** dstest as the seed ran it: eleven checks pass, one warns. */
function seedRequest(options: { acceptedDowntimeMs?: number } = {}) {
  const passes = Array.from({ length: 11 }, (_, i) => pass(`check-${i}`, `Check ${i}`));
  return awaitingRequest({
    vm: { uuid: 'a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11', name: 'dstest' },
    flavor: { name: 'm1.large', ramMiB: 8192, vcpus: 4 },
    options: { blockMigrate: false, ...options },
    checks: {
      verdict: 'warn',
      at: 0,
      checks: [
        ...passes,
        {
          id: 'config-drive',
          title: 'Config drive',
          status: 'warn',
          explanation: 'dstest has a local config drive',
          fix: 'move it to Ceph',
        },
      ],
      prediction: { converges: true, durationMs: 72_000, downtimeMs: 60, live: true },
    },
  });
}

function texts(blocks: unknown): string {
  return JSON.stringify(blocks);
}

describe('the request card', () => {
  it('leads with who wants what, then one summary line, then only the warning with its fix', () => {
    const card = requestCard(seedRequest());
    expect(card.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Migrate dstest → node10' } });
    const grid = texts(card.blocks[1]);
    for (const field of ['*VM*\\ndstest', '*Route*\\nnode05 → node10', '8 GiB', '4 vCPUs', '<@U0ALICE01>'])
      expect(grid).toContain(field);
    expect(texts(card.blocks[2])).toContain('✅ 11 checks passed · ⚠️ 1 warning');
    const json = texts(card.blocks);
    expect(json).toContain('⚠️ *Config drive*: dstest has a local config drive');
    expect(json).toContain('move it to Ceph');
    expect(json).not.toContain('Check 3 is fine');
    expect(json).toContain('guest paused ~60 ms');
  });

  it('shows the UUID once', () => {
    const json = texts(requestCard(seedRequest()).blocks);
    expect(json.split('a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11')).toHaveLength(2);
  });

  it('puts every check, passes included, in the thread reply', () => {
    const reply = texts(checklistReply(seedRequest().checks!).blocks);
    expect(reply).toContain('Check 3 is fine');
    expect(reply).toContain('Config drive');
  });

  it('shows an accepted pause prominently, and the approver reads the pause before confirming', () => {
    const request = seedRequest({ acceptedDowntimeMs: 90_000 });
    request.checks!.prediction = { converges: true, durationMs: 70_000, downtimeMs: 70_000, live: false };
    const card = requestCard(request);
    expect(texts(card.blocks)).toContain('🛑 *Accepted pause: up to 1 min 30 s*');
    const approve = card.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((b) => b.action_id === 'request_approve');
    expect(approve).toMatchObject({
      confirm: {
        text: {
          text: expect.stringContaining(
            'The guest is paused for the whole copy: ~1 min 10 s (the requester accepted up to 1 min 30 s).',
          ),
        },
      },
    });
    expect(texts(approve)).not.toContain('live-migrates');
  });

  it('states the predicted pause of a true live migration in the Approve confirmation', () => {
    const approve = requestCard(seedRequest())
      .blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((b) => b.action_id === 'request_approve');
    expect(texts(approve)).toContain('Predicted pause of the guest: ~60 ms.');
  });

  it('does not promise a pause it cannot predict when the dirty rate is unknown', () => {
    const request = seedRequest();
    request.checks!.prediction = {
      converges: true,
      durationMs: 35_000,
      downtimeMs: 0,
      live: true,
      dirtyRateMeasured: false,
    };
    const json = texts(requestCard(request).blocks);
    expect(json).not.toContain('~0 ms');
    expect(json).toContain('copy at least ~35 s');
    expect(json).toContain("The guest's pause cannot be predicted (its dirty rate is unknown)");
  });

  it('never puts markdown backticks in plain text', () => {
    const request = seedRequest();
    for (const state of ['awaiting_approval', 'blocked', 'rejected'] as const) {
      const card = requestCard({ ...request, state });
      const plain = JSON.stringify(card.blocks).match(/"type":"plain_text","text":"[^"]*"/g) ?? [];
      for (const text of plain) expect(text).not.toContain('`');
    }
  });
});

describe('the reboot warning', () => {
  it('ends the check explanation once, without a double period', () => {
    const request = awaitingRequest({
      vm: { uuid: 'a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11', name: 'dstest' },
      checks: {
        verdict: 'warn',
        at: 0,
        checks: [
          {
            id: 'cpu-reboot',
            title: 'Live CPU',
            status: 'warn',
            explanation: 'dstest still runs SandyBridge; a soft reboot keeps the old CPU.',
          },
        ],
      },
    });
    const text = rebootWarningText(request);
    expect(text).not.toContain('..');
    expect(text).toContain('keeps the old CPU. dstest needs a HARD reboot');
  });
});

describe('thread replies say each thing once', () => {
  const base = { migrationId: 'mig-1', requestId: 'req-1', vm: { uuid: 'u', name: 'dstest' }, at: 0 };

  it('"Approved by bob", not "Approved: approved by bob"', () => {
    const reply = milestoneReply({
      ...base,
      kind: 'milestone',
      milestone: 'approved',
      detail: 'approved by bob',
    });
    expect(texts(reply.blocks)).toContain('👍 *Approved* by bob');
    expect(texts(reply.blocks)).not.toMatch(/approved by bob/);
  });

  it('"Cancelled by alice." once, not "Cancelled by alice: Cancelled by alice."', () => {
    const reply = cancelledReply({
      ...base,
      kind: 'cancelled',
      actor: 'alice',
      message: 'Cancelled by alice. dstest stays on node05.',
    });
    expect(texts(reply.blocks)).toContain('🛑 *Cancelled* by alice. dstest stays on node05.');
    expect(texts(reply.blocks).match(/alice/g)).toHaveLength(1);
    const queued = cancelledReply({
      ...base,
      kind: 'cancelled',
      actor: 'alice',
      message: 'cancelled while queued; nothing was changed',
    });
    expect(texts(queued.blocks)).toContain(
      '🛑 *Cancelled* by alice: cancelled while queued; nothing was changed',
    );
  });
});
