import type { Client } from 'ssh2';
import { LivemigError } from '../errors.js';
import { Semaphore } from '../util/semaphore.js';
import { type ExecChannel, SshConnection } from './connection.js';
import { HostPace } from './host-pace.js';

/** The channel limits of the pool (from config limits.ssh*). */
export interface PoolLimits {
  maxChannels: number;
  maxChannelsPerHost: number;
  maxChannelsPerConnection: number;
  idleTimeoutMs: number;
}

/** A channel lent by the pool, with what its user needs to know about the connection under it. */
export interface LentChannel extends ExecChannel {
  connectionBroken: () => boolean;
}

/** A refused or unsent channel is retried on another connection this many times in all. */
const maxChannelAttempts = 5;

/**
 * Pooled connections per host. A command first takes a per-host permit, then a global one (so a
 * busy host cannot hold global permits while it waits for its own), then a channel slot on a
 * connection with room, opening a new connection when none has any.
 */
export class ConnectionPool {
  readonly #limits: PoolLimits;
  readonly #dial: (host: string) => Promise<Client>;
  readonly #global: Semaphore;
  readonly #perHost = new Map<string, HostPace>();
  readonly #connections = new Map<string, SshConnection[]>();

  readonly #nowMs: () => number;

  /** `nowMs` is the injected clock, for the start time of each command. */
  constructor(limits: PoolLimits, dial: (host: string) => Promise<Client>, nowMs: () => number) {
    this.#limits = limits;
    this.#nowMs = nowMs;
    this.#dial = dial;
    this.#global = new Semaphore(limits.maxChannels);
  }

  /**
   * Opens an exec channel for `commandLine` on `host`, runs `use` with it, then frees its slot.
   * An abort while the command waits for a slot rejects with the signal's reason. How fast the
   * host answered (against `timeoutMs`) sets how many commands it gets at once (HostPace).
   */
  async withChannel<T>(
    host: string,
    commandLine: string,
    use: (lent: LentChannel) => Promise<T>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<T> {
    const pace = this.#paceOf(host);
    await pace.acquire(signal);
    const startedMs = performance.now();
    let verdict: 'answered' | 'timed-out' | 'none' = 'none';
    try {
      await this.#global.acquire(signal);
      try {
        const result = await this.#withSlot(host, commandLine, use);
        verdict = 'answered';
        return result;
      } catch (error) {
        if (error instanceof LivemigError && error.code === 'ssh_timeout') verdict = 'timed-out';
        throw error;
      } finally {
        this.#global.release();
      }
    } finally {
      if (verdict === 'answered') pace.release(performance.now() - startedMs, timeoutMs);
      else if (verdict === 'timed-out') pace.release(null, timeoutMs);
      else pace.releaseUnjudged();
    }
  }

  /** The longest a host took to answer so far, ms (0 before any answer): names slow hosts. */
  slowestAnswerMs(host: string): number {
    return this.#perHost.get(host)?.slowestMs ?? 0;
  }

  /** Ends every pooled connection; commands still running on them fail as disconnected. */
  close(): void {
    for (const connections of [...this.#connections.values()]) {
      for (const connection of [...connections]) connection.close();
    }
    this.#connections.clear();
  }

  async #withSlot<T>(host: string, commandLine: string, use: (lent: LentChannel) => Promise<T>): Promise<T> {
    let lastFailure = '';
    for (let attempt = 1; attempt <= maxChannelAttempts; attempt += 1) {
      const connection = this.#connectionWithRoom(host);
      connection.reserve();
      try {
        const opened = await connection.exec(commandLine);
        if ('kind' in opened) {
          if (opened.kind === 'lost') {
            throw new LivemigError(
              'ssh_disconnected',
              `the connection to ${host} dropped while a command was being started (${opened.reason}); it may or may not have run`,
              { hint: 'Check the host before retrying: the command was not repeated automatically.' },
            );
          }
          lastFailure = opened.reason;
          continue;
        }
        return await use({ ...opened, connectionBroken: () => connection.broken });
      } finally {
        connection.release();
      }
    }
    throw new LivemigError(
      'ssh_channel_refused',
      `${host} refused to open a command channel ${maxChannelAttempts} times (${lastFailure})`,
      { hint: `Check sshd's MaxSessions on ${host}, or lower limits.sshMaxChannelsPerConnection.` },
    );
  }

  #connectionWithRoom(host: string): SshConnection {
    const connections = this.#connections.get(host) ?? [];
    const existing = connections.find((connection) => connection.hasRoom());
    if (existing) return existing;
    const created = new SshConnection(() => this.#dial(host), {
      capacity: this.#limits.maxChannelsPerConnection,
      idleTimeoutMs: this.#limits.idleTimeoutMs,
      nowMs: this.#nowMs,
      onGone: (gone) => {
        const list = this.#connections.get(host);
        if (!list) return;
        const remaining = list.filter((connection) => connection !== gone);
        if (remaining.length > 0) this.#connections.set(host, remaining);
        else this.#connections.delete(host);
      },
    });
    this.#connections.set(host, [...connections, created]);
    return created;
  }

  #paceOf(host: string): HostPace {
    let pace = this.#perHost.get(host);
    if (!pace) {
      pace = new HostPace(this.#limits.maxChannelsPerHost);
      this.#perHost.set(host, pace);
    }
    return pace;
  }
}
