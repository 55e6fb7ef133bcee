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
 * Content-Type is set by hand, because Bolt compares it with `===` and fetch would otherwise
 * append `;charset=UTF-8`.
 */
export function createHttpDelivery(setup: HttpDeliverySetup): HttpDelivery {
  const inFlight = new Set<AbortController>();
  let requestUrl = setup.requestUrl;
  return {
    setRequestUrl(url: string): void {
      requestUrl = url;
    },
    async deliver(inbound: Inbound, options: DeliveryOptions = {}): Promise<DeliveryResult> {
      const { body, contentType } = encodeBody(inbound);
      const timestampSec = Math.floor(setup.wallClock.now() / 1000) + (options.timestampSkewSec ?? 0);
      const secret = options.badSignature ? `${setup.signingSecret}-wrong` : setup.signingSecret;
      const headers: Record<string, string> = {
        'Content-Type': contentType,
        'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        'X-Slack-Request-Timestamp': String(timestampSec),
        'X-Slack-Signature': signSlackRequest(secret, timestampSec, body),
      };
      if (options.retryNum !== undefined) {
        headers['X-Slack-Retry-Num'] = String(options.retryNum);
        headers['X-Slack-Retry-Reason'] = options.retryReason ?? 'http_timeout';
      }
      const controller = new AbortController();
      inFlight.add(controller);
      const deadline = setTimeout(() => controller.abort(), setup.ackDeadlineMs);
      const sentAt = performance.now();
      try {
        const response = await fetch(requestUrl, {
          method: 'POST',
          headers,
          body,
          signal: controller.signal,
        });
        const text = await response.text();
        if (response.status !== 200) {
          return {
            ok: false,
            error: 'dispatch_failed',
            status: response.status,
            detail: `HTTP ${response.status}`,
          };
        }
        return { ok: true, ack: readAck(text), ackMs: performance.now() - sentAt };
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
    },
  };
}
