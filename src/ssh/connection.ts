import type { Client, ClientChannel } from 'ssh2';

/**
 * An exec channel as soon as it opened. ssh2 may deliver the exit status and the close in the
 * same read as the open confirmation, before any later listener exists, so both are captured
 * here, synchronously.
 */
export interface ExecChannel {
  channel: ClientChannel;
  /** When the exec request was sent, on the injected clock: the start of the command's duration. */
  requestedMs: number;
  exitStatus: () => { code: number | null; signal: string | null } | undefined;
  closed: Promise<void>;
}

/**
 * Why a channel could not be opened. `refused`: the server declined the session, so the command
 * was never sent; `not-sent`: the connection was gone before anything was sent; `lost`: the
 * connection dropped while the exec request may already have reached the server, so whether
 * the command started is unknown and it must not be sent again.
 */
export type ChannelOpenFailure =
  | { kind: 'refused'; reason: string }
  | { kind: 'not-sent'; reason: string }
  | { kind: 'lost'; reason: string };

/**
 * One pooled SSH connection to one host. It counts reserved channels against a capacity that
 * starts at limits.sshMaxChannelsPerConnection and drops to what the server really allows the
 * first time it refuses a channel (OpenSSH MaxSessions may be lower than our setting).
 */
export class SshConnection {
  /** Channels reserved (opening or open). */
  active = 0;
  /** Channels the server has granted and not yet closed. */
  open = 0;
  capacity: number;
  broken = false;
  readonly ready: Promise<void>;
  #client: Client | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #idleTimeoutMs: number;
  readonly #onGone: (connection: SshConnection) => void;
  readonly #nowMs: () => number;

  constructor(
    connect: () => Promise<Client>,
    options: {
      capacity: number;
      idleTimeoutMs: number;
      nowMs: () => number;
      onGone: (connection: SshConnection) => void;
    },
  ) {
    this.capacity = options.capacity;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#onGone = options.onGone;
    this.#nowMs = options.nowMs;
    this.ready = connect().then(
      (client) => {
        this.#client = client;
        // Closed (pool shut down) while the handshake ran: nobody will use this connection.
        if (this.broken) {
          client.end();
          return;
        }
        const drop = () => this.#markBroken();
        client.on('error', drop);
        client.on('close', drop);
        client.on('end', drop);
      },
      (error: unknown) => {
        this.#markBroken();
        throw error;
      },
    );
    // Reservations await `ready` themselves; this only keeps a failed dial from being "unhandled".
    this.ready.catch(() => {});
  }

  /** Whether another channel may be reserved here now. */
  hasRoom(): boolean {
    return !this.broken && this.active < this.capacity;
  }

  reserve(): void {
    this.active += 1;
    clearTimeout(this.#idleTimer);
  }

  release(): void {
    this.active -= 1;
    if (this.active > 0 || this.broken) return;
    this.#idleTimer = setTimeout(() => {
      if (this.active === 0) this.close();
    }, this.#idleTimeoutMs);
    this.#idleTimer.unref();
  }

  /** Opens an exec channel; a refusal lowers this connection's capacity to what is open now. */
  async exec(commandLine: string): Promise<ExecChannel | ChannelOpenFailure> {
    await this.ready;
    const client = this.#client;
    if (this.broken || !client) return { kind: 'not-sent', reason: 'connection closed' };
    const requestedMs = this.#nowMs();
    return new Promise((resolve) => {
      try {
        client.exec(commandLine, (error, channel) => {
          if (!error) {
            this.open += 1;
            let exit: { code: number | null; signal: string | null } | undefined;
            channel.once('exit', (code: number | null, signal?: string) => {
              exit = { code: typeof code === 'number' ? code : null, signal: signal ?? null };
            });
            const closed = new Promise<void>((closedNow) =>
              channel.once('close', () => {
                this.open -= 1;
                closedNow();
              }),
            );
            return resolve({ channel, requestedMs, exitStatus: () => exit, closed });
          }
          // Only SSH_MSG_CHANNEL_OPEN_FAILURE carries a numeric reason code: then the session
          // was declined and no exec request was ever sent.
          if (typeof (error as Error & { reason?: unknown }).reason !== 'number') {
            return resolve({ kind: 'lost', reason: error.message });
          }
          this.capacity = Math.min(this.capacity, this.open);
          resolve({ kind: 'refused', reason: error.message });
        });
      } catch (error) {
        // ssh2 throws "Not connected" before sending anything.
        this.#markBroken();
        resolve({ kind: 'not-sent', reason: (error as Error).message });
      }
    });
  }

  close(): void {
    this.#markBroken();
    this.#client?.end();
  }

  #markBroken(): void {
    clearTimeout(this.#idleTimer);
    if (this.broken) return;
    this.broken = true;
    this.#onGone(this);
  }
}
