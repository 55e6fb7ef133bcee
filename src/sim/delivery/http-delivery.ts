import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '../../util/clock.js';
import { isJsonObject } from '../api/args.js';
import type { JsonObject } from '../model/types.js';
import { signSlackRequest } from '../signing.js';
import type { Delivery, DeliveryOptions, DeliveryResult, Inbound } from './types.js';

export interface HttpDeliverySetup {
  /** The app's endpoint, e.g. `http://127.0.0.1:3000/slack/events`. */
  requestUrl: string;
  signingSecret: string;
  /** The clock the app checks timestamps against (its wall clock). */
  wallClock: Clock;
  ackDeadlineMs: number;
}

/** HTTP delivery whose request URL can change, as in the app's settings page. */
export interface HttpDelivery extends Delivery {
  setRequestUrl(url: string): void;
}

/** The body and content type Slack uses for each kind of request. */
function encodeBody(inbound: Inbound): { body: string; contentType: string } {
  switch (inbound.kind) {
    case 'slash_commands': {
      const fields = Object.entries(inbound.payload).map(([key, value]) => [key, String(value)]);
      return {
        body: new URLSearchParams(fields).toString(),
        contentType: 'application/x-www-form-urlencoded',
      };
    }
    case 'interactive':
      return {
        body: `payload=${encodeURIComponent(JSON.stringify(inbound.payload))}`,
        contentType: 'application/x-www-form-urlencoded',
      };
    case 'events_api':
      return { body: JSON.stringify(inbound.payload), contentType: 'application/json' };
  }
}

/** The body and headers of `inbound` as Slack POSTs it to the app, signed at `timestampSec`. */
export function signedHttpRequest(
  inbound: Inbound,
  signingSecret: string,
  timestampSec: number,
): { body: string; headers: Record<string, string> } {
  const { body, contentType } = encodeBody(inbound);
  return {
    body,
    headers: {
      'Content-Type': contentType,
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'X-Slack-Request-Timestamp': String(timestampSec),
      'X-Slack-Signature': signSlackRequest(signingSecret, timestampSec, body),
    },
  };
}

/** What the app's HTTP answer means as an ack: nothing, a JSON object, or plain text. */
function readAck(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : { text };
  } catch {
    return { text };
  }
}

/**
 * HTTP mode: POSTs signed requests to the app's request URL. The body is a string and the
 * Content-Type is set by hand, because Bolt compares it with `===`.
 *
 * Sent with node:http over kept-alive connections rather than fetch: the emulator is one Node
 * thread, and when a burst of deliveries leaves at once, fetch's per-request work would queue
 * them behind each other inside the emulator. `ackMs` counts from the moment the request's bytes
 * are handed to the socket to the app's answer, as Slack's deadline counts it; the deadline
 * itself still runs from the call, so a slow emulator can only make a delivery fail, never pass.
 */
export function createHttpDelivery(setup: HttpDeliverySetup): HttpDelivery {
  const inFlight = new Set<AbortController>();
  const agent = new Agent({ keepAlive: true });
  let requestUrl = setup.requestUrl;
  return {
    setRequestUrl(url: string): void {
      requestUrl = url;
    },
    async deliver(inbound: Inbound, options: DeliveryOptions = {}): Promise<DeliveryResult> {
      const timestampSec = Math.floor(setup.wallClock.now() / 1000) + (options.timestampSkewSec ?? 0);
      const secret = options.badSignature ? `${setup.signingSecret}-wrong` : setup.signingSecret;
      const { body, headers } = signedHttpRequest(inbound, secret, timestampSec);
      if (options.retryNum !== undefined) {
        headers['X-Slack-Retry-Num'] = String(options.retryNum);
        headers['X-Slack-Retry-Reason'] = options.retryReason ?? 'http_timeout';
      }
      const controller = new AbortController();
      inFlight.add(controller);
      const deadline = setTimeout(() => controller.abort(), setup.ackDeadlineMs);
      try {
        const answer = await post(requestUrl, { agent, headers, body, signal: controller.signal });
        if (answer.status !== 200) {
          return {
            ok: false,
            error: 'dispatch_failed',
            status: answer.status,
            detail: `HTTP ${answer.status}`,
          };
        }
        return { ok: true, ack: readAck(answer.text), ackMs: answer.ackMs };
      } catch (error) {
        if (controller.signal.aborted) {
          return {
            ok: false,
            error: 'operation_timeout',
            detail: `no answer within ${setup.ackDeadlineMs} ms`,
          };
        }
        return {
          ok: false,
          error: 'dispatch_failed',
          detail: error instanceof Error ? error.message : String(error),
        };
      } finally {
        clearTimeout(deadline);
        inFlight.delete(controller);
      }
    },
    async stop(): Promise<void> {
      for (const controller of inFlight) controller.abort();
      agent.destroy();
    },
  };
}

/** The app's answer to one POST, and the time from the body reaching the socket to that answer. */
interface PostAnswer {
  status: number;
  text: string;
  ackMs: number;
}

function post(
  url: string,
  options: { agent: Agent; headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    let sentAt = performance.now();
    const sendRequest = url.startsWith('https:') ? httpsRequest : httpRequest;
    const request = sendRequest(url, {
      method: 'POST',
      agent: url.startsWith('https:') ? undefined : options.agent,
      headers: options.headers,
      signal: options.signal,
    });
    request.on('error', reject);
    request.on('finish', () => {
      sentAt = performance.now();
    });
    request.on('response', (response) => {
      const ackMs = performance.now() - sentAt;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ackMs }),
      );
    });
    request.end(options.body);
  });
}
