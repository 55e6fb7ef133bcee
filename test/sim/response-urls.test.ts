import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/sim/index.js';
import { ResponseUrls } from '../../src/sim/response-urls.js';
import { SimClock } from '../../src/util/clock.js';

function setup() {
  const clock = new SimClock();
  const workspace = new Workspace({
    clock,
    team: { id: 'T1', name: 'Ops', domain: 'ops' },
    bot: { app_id: 'A1', bot_id: 'B1', user_id: 'UBOT', name: 'livemig' },
    users: [
      { id: 'U1', name: 'alice', real_name: 'Alice', tz: 'UTC' },
      { id: 'U2', name: 'bob', real_name: 'Bob', tz: 'UTC' },
    ],
    channels: [{ id: 'C1', name: 'ops' }],
  });
  const card = workspace.postMessage({
    channel: 'C1',
    user: 'UBOT',
    fromApp: true,
    text: 'Request',
    blocks: [{ type: 'divider' }],
  });
  if (!card.ok) throw new Error(card.error);
  const urls = new ResponseUrls(workspace, clock);
  const idOf = (path: string) => path.slice('/response/'.length);
  const click = idOf(
    urls.issue({ userId: 'U1', channelId: 'C1', original: { kind: 'message', ts: card.value.ts } }),
  );
  return { clock, workspace, urls, click, cardTs: card.value.ts };
}

describe('response_url', () => {
  it('shows a response to the acting user only by default', () => {
    const { workspace, urls, click } = setup();
    expect(urls.answer(click, JSON.stringify({ text: 'Only for you' }))).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(workspace.ephemerals('C1', 'U1').map((e) => e.text)).toEqual(['Only for you']);
    expect(workspace.ephemerals('C1', 'U2')).toEqual([]);
  });

  it('posts to the channel with response_type in_channel', () => {
    const { workspace, urls, click } = setup();
    urls.answer(click, JSON.stringify({ response_type: 'in_channel', text: 'Approved by alice' }));
    expect(workspace.messages('C1').map((m) => m.text)).toEqual(['Request', 'Approved by alice']);
  });

  it('replaces the clicked message whole with replace_original, and deletes it with delete_original', () => {
    const { workspace, urls, click, cardTs } = setup();
    urls.answer(click, JSON.stringify({ replace_original: true, text: 'Approved' }));
    expect(workspace.messages('C1')).toEqual([expect.objectContaining({ ts: cardTs, text: 'Approved' })]);
    expect(workspace.messages('C1')[0]?.blocks).toBeUndefined();
    urls.answer(click, JSON.stringify({ delete_original: true }));
    expect(workspace.messages('C1')).toEqual([]);
  });

  it('accepts five posts, then answers used_url', () => {
    const { urls, click } = setup();
    const statuses = Array.from(
      { length: 6 },
      (_, i) => urls.answer(click, JSON.stringify({ text: `${i}` })).status,
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(urls.answer(click, JSON.stringify({ text: 'x' })).body.error).toBe('used_url');
  });

  it('expires after 30 minutes', () => {
    const { clock, urls, click } = setup();
    clock.advance(30 * 60 * 1000 + 1);
    expect(urls.answer(click, JSON.stringify({ text: 'late' }))).toEqual({
      status: 404,
      body: { ok: false, error: 'expired_url' },
    });
  });

  it('replaces or deletes an ephemeral original for its user', () => {
    const { workspace, urls } = setup();
    const shown = workspace.postEphemeral({
      channel: 'C1',
      user: 'U2',
      author: 'UBOT',
      text: 'Sure?',
      blocks: [{ type: 'divider' }],
    });
    if (!shown.ok) throw new Error(shown.error);
    const id = urls.issue({
      userId: 'U2',
      channelId: 'C1',
      original: { kind: 'ephemeral', ts: shown.value.message_ts },
    });
    const path = id.slice('/response/'.length);

    urls.answer(path, JSON.stringify({ replace_original: true, text: 'Cancelled' }));
    expect(workspace.ephemerals('C1', 'U2').map((e) => [e.text, e.blocks])).toEqual([
      ['Cancelled', undefined],
    ]);
    urls.answer(path, JSON.stringify({ delete_original: true }));
    expect(workspace.ephemerals('C1', 'U2')).toEqual([]);
  });

  it("acts on the last message a slash command's response_url showed, having no pressed message", () => {
    const { workspace, urls } = setup();
    const path = urls.issue({ userId: 'U2', channelId: 'C1' }).slice('/response/'.length);
    urls.answer(path, JSON.stringify({ text: '⏳ Checking…' }));
    urls.answer(path, JSON.stringify({ replace_original: true, text: 'Request card posted' }));
    expect(workspace.ephemerals('C1', 'U2').map((e) => e.text)).toEqual(['Request card posted']);
    urls.answer(path, JSON.stringify({ delete_original: true }));
    expect(workspace.ephemerals('C1', 'U2')).toEqual([]);
  });
});
