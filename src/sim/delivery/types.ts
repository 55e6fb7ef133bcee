import type { JsonObject } from '../model/types.js';

/** The three kinds of inbound traffic, named as Socket Mode envelopes name them. */
export type InboundKind = 'slash_commands' | 'interactive' | 'events_api';

/** Something Slack sends the app: a slash command, an interaction payload or an event wrapper. */
export interface Inbound {
  kind: InboundKind;
  /** Field order matters for slash commands sent over HTTP (Slack's own order is kept). */
  payload: JsonObject;
}

/** Ways to make a delivery misbehave, for tests of the app's defences. */
export interface DeliveryOptions {
  /** HTTP mode: sign with a wrong secret. */
  badSignature?: boolean;
  /** HTTP mode: shift X-Slack-Request-Timestamp by this many seconds (e.g. -600: stale). */
  timestampSkewSec?: number;
  /** A redelivery: X-Slack-Retry-Num (HTTP) or retry_attempt (Socket Mode events). */
  retryNum?: number;
  /** Why it is redelivered, e.g. `http_timeout`. */
  retryReason?: string;
}

/**
 * How a delivery ended. `operation_timeout`: no ack within Slack's deadline (the user sees
 * "/migrate failed with the error operation_timeout"); `dispatch_failed`: the app could not be
 * reached or answered with an HTTP error (`status` says which).
 */
export type DeliveryResult =
  /** `ackMs`: real time from sending the delivery to the app's answer, as Slack's deadline counts it. */
  | { ok: true; ack: JsonObject; ackMs: number }
  | { ok: false; error: 'operation_timeout' | 'dispatch_failed'; status?: number; detail: string };

/** A way to reach the app: Socket Mode or signed HTTP requests. */
export interface Delivery {
  deliver(inbound: Inbound, options?: DeliveryOptions): Promise<DeliveryResult>;
  stop(): Promise<void>;
}

/** Slack's ack deadline for commands, interactions and events. */
export const slackAckDeadlineMs = 3000;
