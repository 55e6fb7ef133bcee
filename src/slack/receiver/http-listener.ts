/**
 * Slack's HTTP mode, as the receiver thread serves it: a plain node:http server that checks each
 * request's signature, answers Slack at once (the ack, ack-policy.ts) and hands the payload on.
 *
 * Why not Bolt's HTTPReceiver: it does the same, plus an ack timer, a promise chain and a
 * listener context per request, and compares signatures with tsscmp. A burst of 100 slash
 * commands cost its thread about 0.9 ms each (the ack benchmark's --cpu-prof rows), so the
 * hundredth ack waited ~90 ms behind the others. What it checks is kept, in the same order and
 * with the same answers: the path, the body size (413), the signature v0 and a timestamp at
 * most 5 minutes old (401), the body (400), `ssl_check` and `url_verification`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { immediateAck } from './ack-policy.js';

/** Bolt's default request URL path, which the manifest's request_url uses. */
export const slackEventsPath = '/slack/events';
/** Bolt's default body limit. */
const bodyLimitBytes = 4 * 1024 * 1024;
/** Slack's replay window: a request signed longer ago than this is refused. */
const maxAgeSec = 5 * 60;

/** A verified, acknowledged payload, as Bolt's receivers hand it to App.processEvent. */
export interface AcknowledgedPayload {
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
}

export interface SlackHttpListenerOptions {
  signingSecret: string;
  /** Each payload, after its ack went out. */
  onPayload(payload: AcknowledgedPayload): void;
  /** A refused request, in words fit for the log (never the body or the signature). */
  onRefused(reason: string): void;
  /** Seconds since the epoch; the system clock by default. */
  nowSec?: () => number;
}

/** The server; listening is the caller's (`server.listen(port, host)`). */
export function createSlackHttpListener(options: SlackHttpListenerOptions): Server {
  return createServer((request, response) => {
    if (request.method !== 'POST' || request.url?.split('?')[0] !== slackEventsPath) {
      answer(response, 404);
      request.resume();
      return;
    }
    readBody(request, (raw) => {
      if (raw === null) {
        options.onRefused(`a request body over ${bodyLimitBytes} bytes`);
        return answer(response, 413);
      }
      const refusal = signatureRefusal(request, raw, options);
      if (refusal) {
        options.onRefused(`Failed to verify a request from Slack: ${refusal}`);
        return answer(response, 401);
      }
      const body = parseBody(request.headers['content-type'], raw.toString('utf8'));
      if (body === null) {
        options.onRefused('a signed request whose body is not a Slack payload');
        return answer(response, 400);
      }
      if (body.ssl_check === '1') return answer(response, 200);
      if (body.type === 'url_verification') return answer(response, 200, { challenge: body.challenge });
      answer(response, 200, immediateAck(body));
      options.onPayload({ body, ...retryOf(request) });
    });
  });
}

/** Calls back with the whole body, or null once it passes the limit (the rest is drained). */
function readBody(request: IncomingMessage, done: (raw: Buffer | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > bodyLimitBytes) tooLarge = true;
    else chunks.push(chunk);
  });
  request.on('end', () => done(tooLarge ? null : Buffer.concat(chunks, size)));
  request.on('error', () => undefined);
}

/** Why the request is not Slack's, or null when its v0 signature and timestamp hold. */
function signatureRefusal(
  request: IncomingMessage,
  raw: Buffer,
  options: SlackHttpListenerOptions,
): string | null {
  const timestamp = header(request, 'x-slack-request-timestamp');
  const signature = header(request, 'x-slack-signature');
  if (!timestamp || !/^\d+$/.test(timestamp) || !signature) return 'no signature or timestamp';
  const nowSec = options.nowSec?.() ?? Math.floor(Date.now() / 1000);
  if (Number(timestamp) < nowSec - maxAgeSec) return 'the timestamp is more than 5 minutes old';
  const expected = Buffer.from(
    `v0=${createHmac('sha256', options.signingSecret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature mismatch';
  return null;
}

/** A form (slash command, or an interaction in its `payload` field) or JSON (events). */
function parseBody(contentType: string | undefined, text: string): Record<string, unknown> | null {
  try {
    // Slack sends the bare media type; a proxy may add `; charset=utf-8`.
    if (contentType?.split(';')[0]?.trim() === 'application/x-www-form-urlencoded') {
      const fields = parseQuery(text);
      const parsed: unknown = typeof fields.payload === 'string' ? JSON.parse(fields.payload) : { ...fields };
      return isObject(parsed) ? parsed : null;
    }
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function retryOf(request: IncomingMessage): { retryNum?: number; retryReason?: string } {
  const num = header(request, 'x-slack-retry-num');
  const reason = header(request, 'x-slack-retry-reason');
  return {
    ...(num !== undefined && /^\d+$/.test(num) ? { retryNum: Number(num) } : {}),
    ...(reason !== undefined ? { retryReason: reason } : {}),
  };
}

function answer(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status);
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
