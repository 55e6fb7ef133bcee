/**
 * The receiver thread's signed-HTTP listener, over real HTTP on loopback: what Slack gets back for
 * each kind of request, and what reaches the app. Requests are signed by the emulator's own code
 * (what Slack sends), or deliberately not.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedHttpRequest } from '../../../src/sim/delivery/http-delivery.js';
import type { Inbound } from '../../../src/sim/delivery/types.js';
import { signSlackRequest } from '../../../src/sim/signing.js';
import {
  type AcknowledgedPayload,
  createSlackHttpListener,
  slackEventsPath,
} from '../../../src/slack/receiver/http-listener.js';

const secret = 'test-signing-secret';
const nowSec = 1_800_000_000;

describe('the Slack HTTP listener', () => {
  const payloads: AcknowledgedPayload[] = [];
  const refusals: string[] = [];
  const server = createSlackHttpListener({
    signingSecret: secret,
    onPayload: (payload) => payloads.push(payload),
    onRefused: (reason) => refusals.push(reason),
    nowSec: () => nowSec,
  });
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${slackEventsPath}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    payloads.length = 0;
    refusals.length = 0;
  });

  /** POSTs `inbound` as Slack does, signed at `timestampSec` with `signingSecret`. */
  const post = async (
    inbound: Inbound,
    options: { signingSecret?: string; timestampSec?: number; headers?: Record<string, string> } = {},
  ) => {
    const { body, headers } = signedHttpRequest(
      inbound,
      options.signingSecret ?? secret,
      options.timestampSec ?? nowSec,
    );
    const response = await fetch(url, { method: 'POST', headers: { ...headers, ...options.headers }, body });
    return { status: response.status, text: await response.text() };
  };
  const slash = (text: string): Inbound => ({
    kind: 'slash_commands',
    payload: { command: '/migrate', text, user_id: 'U1', response_url: 'http://127.0.0.1:9/r' },
  });

  it('acknowledges a signed slash command with an empty 200, then hands its fields to the app', async () => {
    expect(await post(slash('check dstest node10'))).toEqual({ status: 200, text: '' });
    expect(payloads).toEqual([
      {
        body: {
          command: '/migrate',
          text: 'check dstest node10',
          user_id: 'U1',
          response_url: 'http://127.0.0.1:9/r',
        },
      },
    ]);
    expect(refusals).toEqual([]);
  });

  it("passes on a redelivery's retry number and reason", async () => {
    await post(slash('status'), {
      headers: { 'X-Slack-Retry-Num': '2', 'X-Slack-Retry-Reason': 'http_timeout' },
    });
    expect(payloads[0]).toMatchObject({ retryNum: 2, retryReason: 'http_timeout' });
  });

  it('reads a form whose content type carries a charset (as a proxy may add)', async () => {
    const answer = await post(slash('status'), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    expect(answer.status).toBe(200);
    expect(payloads[0]?.body).toMatchObject({ command: '/migrate', text: 'status' });
  });

  it('hands on an interaction from its payload field, and an event from its JSON body', async () => {
    await post({ kind: 'interactive', payload: { type: 'block_actions', actions: [{ action_id: 'x' }] } });
    await post({
      kind: 'events_api',
      payload: { type: 'event_callback', event: { type: 'app_home_opened' } },
    });
    expect(payloads.map((p) => p.body.type)).toEqual(['block_actions', 'event_callback']);
  });

  it('keeps a reject modal submitted without a reason open, with the field error as the ack', async () => {
    const submission = {
      type: 'view_submission',
      view: { callback_id: 'reject_reason', state: { values: { reason: { reason_input: { value: ' ' } } } } },
    };
    const answer = await post({ kind: 'interactive', payload: submission });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.any(String) },
    });
  });

  it('refuses a wrong signature, a stale timestamp and an unsigned request with 401; nothing reaches the app', async () => {
    expect((await post(slash('status'), { signingSecret: 'wrong' })).status).toBe(401);
    expect((await post(slash('status'), { timestampSec: nowSec - 6 * 60 })).status).toBe(401);
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'command=%2Fmigrate&text=status',
    });
    expect(unsigned.status).toBe(401);
    expect(payloads).toEqual([]);
    expect(refusals).toEqual([
      'Failed to verify a request from Slack: signature mismatch',
      'Failed to verify a request from Slack: the timestamp is more than 5 minutes old',
      'Failed to verify a request from Slack: no signature or timestamp',
    ]);
  });

  it('a request signed for another body fails: the signature covers the exact bytes', async () => {
    const { 'Content-Length': _length, ...headers } = signedHttpRequest(
      slash('status'),
      secret,
      nowSec,
    ).headers;
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: 'command=%2Fmigrate&text=cancel+all',
    });
    expect(response.status).toBe(401);
    expect(payloads).toEqual([]);
  });

  it("answers Slack's ssl_check and url_verification itself, without bothering the app", async () => {
    expect(await post({ kind: 'slash_commands', payload: { ssl_check: '1', token: 't' } })).toEqual({
      status: 200,
      text: '',
    });
    const verification = await post({
      kind: 'events_api',
      payload: { type: 'url_verification', challenge: 'c-123', token: 't' },
    });
    expect(JSON.parse(verification.text)).toEqual({ challenge: 'c-123' });
    expect(payloads).toEqual([]);
  });

  it('answers 400 to a signed body that is not a payload, 413 to one over 4 MB, 404 elsewhere', async () => {
    const malformed = await fetch(url, { method: 'POST', ...signedRaw('{"type": "event_callback"') });
    expect(malformed.status).toBe(400);
    const huge = await fetch(url, { method: 'POST', ...signedRaw('x'.repeat(4 * 1024 * 1024 + 1)) });
    expect(huge.status).toBe(413);
    expect((await fetch(url.replace(slackEventsPath, '/other'), { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
    expect((await fetch(url)).status).toBe(404);
    expect(payloads).toEqual([]);
    expect(refusals).toEqual([
      'a signed request whose body is not a Slack payload',
      'a request body over 4194304 bytes',
    ]);
  });
});

/** `body` as it is, with a valid signature: what a sender holding the secret could post. */
function signedRaw(body: string): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'Content-Type': 'application/json',
      'X-Slack-Request-Timestamp': String(nowSec),
      'X-Slack-Signature': signSlackRequest(secret, nowSec, body),
    },
    body,
  };
}
