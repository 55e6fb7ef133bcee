import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import type { JsonObject } from '../model/types.js';
import type { Delivery, DeliveryOptions, DeliveryResult, Inbound } from './types.js';

/** Why Slack asks a client to reconnect. */
export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled';

export interface SocketModeSetup {
  appId: string;
  ackDeadlineMs: number;
  /** How often the server pings each connection (Slack: every few seconds). */
  pingIntervalMs: number;
}

/** The client's ack: `{"envelope_id":"...","payload":{...}}`. */
const ackSchema = z.object({
  envelope_id: z.string(),
  payload: z.record(z.string(), z.unknown()).optional(),
});

/** Settles a delivery waiting for its ack (and clears its deadline). */
/** Settles a delivery with the app's ack payload. */
type PendingAck = (ack: JsonObject) => void;

/**
 * Socket Mode: one-time connection URLs from apps.connections.open, `hello` on connect,
 * envelopes out, acks back within the deadline, pings, and `disconnect` to make the client
 * reconnect. Envelopes go to the newest open connection.
 */
export class SocketModeServer implements Delivery {
  readonly #setup: SocketModeSetup;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #tickets = new Set<string>();
  readonly #connections: WebSocket[] = [];
  readonly #pending = new Map<string, PendingAck>();
  readonly #pinger: NodeJS.Timeout;
  #counter = 0;

  constructor(setup: SocketModeSetup) {
    this.#setup = setup;
    this.#pinger = setInterval(() => {
      for (const socket of this.#connections) socket.ping();
    }, setup.pingIntervalMs);
    this.#pinger.unref();
  }

  /** A one-time WebSocket URL under `baseUrl` (`ws://127.0.0.1:PORT`). */
  issueUrl(baseUrl: string): string {
    this.#counter += 1;
    const ticket = `ticket-${this.#counter}-${Date.now().toString(36)}`;
    this.#tickets.add(ticket);
    return `${baseUrl}/socket?ticket=${ticket}&app_id=${this.#setup.appId}`;
  }

  /** Open connections right now. */
  connectionCount(): number {
    return this.#connections.length;
  }

  /** Takes over an HTTP upgrade on /socket; refuses unknown or reused tickets. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('ticket') ?? '';
    if (!this.#tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws));
  }

  async deliver(inbound: Inbound, options: DeliveryOptions = {}): Promise<DeliveryResult> {
    const socket = this.#connections.at(-1);
    if (!socket) return { ok: false, error: 'dispatch_failed', detail: 'no Socket Mode connection is open' };
    this.#counter += 1;
    const envelopeId = `${this.#counter.toString(16).padStart(8, '0')}-5eed-4d1d-9a11-${Date.now().toString(16).padStart(12, '0')}`;
    const envelope: JsonObject = {
      envelope_id: envelopeId,
      type: inbound.kind,
      accepts_response_payload: acceptsResponsePayload(inbound),
      payload: inbound.payload,
    };
    if (inbound.kind === 'events_api') {
      envelope.retry_attempt = options.retryNum ?? 0;
      envelope.retry_reason = options.retryReason ?? '';
    }
    return new Promise<DeliveryResult>((resolve) => {
      const settle = (result: DeliveryResult) => {
        clearTimeout(deadline);
        this.#pending.delete(envelopeId);
        resolve(result);
      };
      const deadline = setTimeout(
        () =>
          settle({
            ok: false,
            error: 'operation_timeout',
            detail: `no ack within ${this.#setup.ackDeadlineMs} ms`,
          }),
        this.#setup.ackDeadlineMs,
      );
      const sentAt = performance.now();
      this.#pending.set(envelopeId, (ack) => settle({ ok: true, ack, ackMs: performance.now() - sentAt }));
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Sends `{"type":"disconnect","reason":...}` to every connection; clients then reconnect. */
  disconnect(reason: DisconnectReason = 'refresh_requested'): void {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-sim' } });
    for (const socket of this.#connections) socket.send(message);
  }

  async stop(): Promise<void> {
    clearInterval(this.#pinger);
    for (const settle of [...this.#pending.values()]) {
      settle({ ok: false, error: 'dispatch_failed', detail: 'the emulator stopped' });
    }
    // A clean close handshake: an app that is itself stopping may still have its close in flight.
    await Promise.all([...this.#connections].map((socket) => closeGracefully(socket)));
    this.#connections.length = 0;
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    this.#connections.push(socket);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.#onMessage(data.toString());
    });
    socket.on('close', () => {
      const index = this.#connections.indexOf(socket);
      if (index >= 0) this.#connections.splice(index, 1);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#connections.length,
        debug_info: { host: 'applink-sim', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.#setup.appId },
      }),
    );
  }

  #onMessage(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const ack = ackSchema.safeParse(parsed);
    if (!ack.success) return;
    // A late ack (after the deadline) finds nothing pending and is dropped, as Slack drops it.
    this.#pending.get(ack.data.envelope_id)?.(ack.data.payload ?? {});
  }
}

/** Closes with 1001 (going away) and waits for the peer, or cuts the connection after a second. */
function closeGracefully(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === socket.CLOSED) {
      resolve();
      return;
    }
    const cutOff = setTimeout(() => {
      socket.terminate();
      resolve();
    }, 1000);
    socket.once('close', () => {
      clearTimeout(cutOff);
      resolve();
    });
    if (socket.readyState === socket.OPEN) socket.close(1001, 'emulator stopping');
  });
}

/** Slack lets commands and view submissions answer in the ack; block_actions and events not. */
function acceptsResponsePayload(inbound: Inbound): boolean {
  if (inbound.kind === 'slash_commands') return true;
  return inbound.kind === 'interactive' && inbound.payload.type === 'view_submission';
}
