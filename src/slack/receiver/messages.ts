/** What the main thread and the Slack receiver's thread tell each other. */
import type { webApi } from '@slack/bolt';

/** How the receiver thread reaches Slack (its workerData). */
export type ReceiverSetup =
  | { mode: 'http'; signingSecret: string; port: number; host?: string }
  | { mode: 'socket'; appToken: string; clientOptions: webApi.WebClientOptions };

/** From the receiver thread to the main thread. */
export type ReceiverMessage =
  /** Listening (HTTP: on `port`) or connected (Socket Mode: `port` is null). */
  | { kind: 'ready'; port: number | null }
  /** It could not listen or connect (`code`: the errno code, e.g. EADDRINUSE). */
  | { kind: 'failed'; message: string; code?: string }
  /** A payload, already acknowledged, for the app's listeners. */
  | { kind: 'payload'; body: Record<string, unknown>; retryNum?: number; retryReason?: string }
  | { kind: 'log'; level: 'warn' | 'error'; message: string }
  /** Every payload acknowledged before `sync` was handed over (the answer to `sync`). */
  | { kind: 'synced' }
  /** The receiver stopped taking payloads (the answer to `stop`). */
  | { kind: 'stopped' };

/** From the main thread to the receiver thread. */
export type ReceiverCommand = { kind: 'sync' } | { kind: 'stop' };
