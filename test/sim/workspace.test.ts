import { describe, expect, it } from 'vitest';
import type { WorkspaceEvent } from '../../src/sim/index.js';
import { Workspace } from '../../src/sim/index.js';
import { SimClock } from '../../src/util/clock.js';

function makeWorkspace(clock = new SimClock(Date.UTC(2026, 0, 1, 9, 0, 0))): Workspace {
  return new Workspace({
    clock,
    team: { id: 'T1', name: 'Ops', domain: 'ops' },
    bot: { app_id: 'A1', bot_id: 'B1', user_id: 'UBOT', name: 'livemig' },
    users: [{ id: 'U1', name: 'alice', real_name: 'Alice', tz: 'UTC' }],
    channels: [{ id: 'C1', name: 'ops' }],
  });
}

const homeView = (text: string) => ({
  type: 'home' as const,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

describe('Workspace', () => {
  it('gives every message a distinct, increasing "<sec>.<6 digits>" ts even when time stands still', () => {
    const workspace = makeWorkspace();
    const stamps = Array.from({ length: 3 }, (_, i) => {
      const posted = workspace.postMessage({ channel: 'C1', user: 'U1', text: `m${i}` });
      return posted.ok ? posted.value.ts : '';
    });
    expect(stamps).toEqual(['1767258000.000000', '1767258000.000001', '1767258000.000002']);
  });

  it('carries on from a saved history: same threads, and new messages sort after the kept ones', () => {
    const first = makeWorkspace();
    const card = first.postMessage({ channel: 'C1', user: 'UBOT', text: 'card' });
    if (!card.ok) throw new Error(card.error);
    first.postMessage({ channel: 'C1', user: 'UBOT', text: 'reply', thread_ts: card.value.ts });
    // Restarted with a clock that reads earlier than the last message.
    const again = new Workspace({
      clock: new SimClock(Date.UTC(2025, 0, 1)),
      team: { id: 'T1', name: 'Ops', domain: 'ops' },
      bot: { app_id: 'A1', bot_id: 'B1', user_id: 'UBOT', name: 'livemig' },
      users: [{ id: 'U1', name: 'alice', real_name: 'Alice', tz: 'UTC' }],
      channels: [{ id: 'C1', name: 'ops' }],
      savedHistory: JSON.parse(JSON.stringify(first.history())),
    });
    expect(again.thread('C1', card.value.ts).map((m) => m.text)).toEqual(['card', 'reply']);
    const next = again.postMessage({ channel: 'C1', user: 'UBOT', text: 'after', thread_ts: card.value.ts });
    expect(next.ok && Number(next.value.ts)).toBeGreaterThan(Number(card.value.ts));
    expect(again.message('C1', card.value.ts)?.reply_count).toBe(2);
  });

  it('follows the clock: a message posted 1.5 s later carries that time', () => {
    const clock = new SimClock(Date.UTC(2026, 0, 1, 9, 0, 0));
    const workspace = makeWorkspace(clock);
    clock.advance(1500);
    const posted = workspace.postMessage({ channel: 'C1', user: 'U1', text: 'later' });
    expect(posted.ok && posted.value.ts).toBe('1767258001.500000');
  });

  it('announces posts, thread summaries, edits, ephemerals and Home publications to subscribers', () => {
    const workspace = makeWorkspace();
    const events: WorkspaceEvent['type'][] = [];
    const unsubscribe = workspace.subscribe((event) => events.push(event.type));
    const parent = workspace.postMessage({ channel: 'C1', user: 'UBOT', fromApp: true, text: 'card' });
    if (!parent.ok) throw new Error(parent.error);
    workspace.postMessage({
      channel: 'C1',
      user: 'UBOT',
      fromApp: true,
      text: 'phase 1',
      thread_ts: parent.value.ts,
    });
    workspace.updateMessage({ channel: 'C1', ts: parent.value.ts, user: 'UBOT', text: 'card v2' });
    workspace.postEphemeral({ channel: 'C1', user: 'U1', author: 'UBOT', text: 'psst' });
    workspace.views.publishHome('U1', homeView('hi'));
    unsubscribe();
    workspace.postMessage({ channel: 'C1', user: 'U1', text: 'unseen' });

    expect(events).toEqual([
      'message_posted',
      'message_posted',
      'message_updated',
      'message_updated',
      'ephemeral_posted',
      'home_published',
    ]);
  });

  it('keeps a reply to a reply in the original thread and counts replies on the parent', () => {
    const workspace = makeWorkspace();
    const parent = workspace.postMessage({ channel: 'C1', user: 'UBOT', text: 'parent' });
    if (!parent.ok) throw new Error(parent.error);
    const reply = workspace.postMessage({
      channel: 'C1',
      user: 'U1',
      text: 'r1',
      thread_ts: parent.value.ts,
    });
    if (!reply.ok) throw new Error(reply.error);
    workspace.postMessage({ channel: 'C1', user: 'UBOT', text: 'r2', thread_ts: reply.value.ts });

    expect(workspace.thread('C1', parent.value.ts).map((m) => m.text)).toEqual(['parent', 'r1', 'r2']);
    expect(workspace.messages('C1')).toEqual([
      expect.objectContaining({ text: 'parent', reply_count: 2, reply_users: ['U1', 'UBOT'] }),
    ]);
  });

  it('refuses unknown channels, threads and messages with Slack error codes', () => {
    const workspace = makeWorkspace();
    expect(workspace.postMessage({ channel: 'C9', user: 'U1', text: 'x' })).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    expect(workspace.postMessage({ channel: 'C1', user: 'U1', text: 'x', thread_ts: '1.000000' })).toEqual({
      ok: false,
      error: 'thread_not_found',
    });
    expect(workspace.updateMessage({ channel: 'C1', ts: '1.000000', user: 'U1', text: 'x' })).toEqual({
      ok: false,
      error: 'message_not_found',
    });
  });

  it('removes blocks on an edit only when given an empty list', () => {
    const workspace = makeWorkspace();
    const blocks = [{ type: 'divider' }];
    const posted = workspace.postMessage({ channel: 'C1', user: 'UBOT', text: 'x', blocks });
    if (!posted.ok) throw new Error(posted.error);
    const kept = workspace.updateMessage({ channel: 'C1', ts: posted.value.ts, user: 'UBOT', text: 'y' });
    const removed = workspace.updateMessage({
      channel: 'C1',
      ts: posted.value.ts,
      user: 'UBOT',
      text: 'z',
      blocks: [],
    });
    expect(kept.ok && kept.value.blocks).toEqual(blocks);
    expect(removed.ok && removed.value.blocks).toBeUndefined();
  });

  it('refuses a Home publication with a stale hash, as two racing updates would', () => {
    const workspace = makeWorkspace();
    const first = workspace.views.publishHome('U1', homeView('v1'));
    if (!first.ok) throw new Error(first.error);
    const second = workspace.views.publishHome('U1', homeView('v2'), first.value.hash);
    expect(second.ok).toBe(true);
    expect(workspace.views.publishHome('U1', homeView('v3'), first.value.hash)).toEqual({
      ok: false,
      error: 'hash_conflict',
    });
    expect(workspace.views.home('U1')?.blocks[0]).toMatchObject({ text: { text: 'v2' } });
  });

  it('stacks at most three modals and clears them all at once', () => {
    const workspace = makeWorkspace();
    const modal = { type: 'modal' as const, blocks: [], title: { type: 'plain_text', text: 'M' } };
    workspace.views.openModal('U1', modal);
    workspace.views.pushModal('U1', modal);
    workspace.views.pushModal('U1', modal);
    expect(workspace.views.pushModal('U1', modal)).toEqual({ ok: false, error: 'push_limit_reached' });
    workspace.views.closeModal('U1', 'all');
    expect(workspace.views.modalStack('U1')).toEqual([]);
  });
});
