import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { Secrets } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { LivemigError } from '../errors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { loadAuthMaterial } from './auth.js';
import { type AuthMaterial, dial } from './dial.js';
import {
  createHostKeyVerifier,
  type HostKeySubject,
  type HostKeyVerifier,
  knownHostsLoader,
} from './host-key-verifier.js';
import type { KnownHostEntry } from './known-hosts.js';
import { ConnectionPool } from './pool.js';
import { commandLine } from './quote.js';
import { runOnChannel } from './run-channel.js';
import type { CommandResult, RemoteCommand, RemoteExecutor, RunOptions } from './types.js';

/** Injected edges of the executor. */
export interface SshExecutorOptions {
  /** Measures durationMs (timeouts use real timers: they guard real sockets). */
  clock?: Clock;
  /** Private key contents, instead of reading config ssh.privateKeyPath. */
  privateKey?: Buffer;
  /** ssh-agent socket for ssh.useAgent; defaults to SSH_AUTH_SOCK. */
  agentSocket?: string;
}

/** The SSH executor, plus a check of its own credentials. */
export interface SshExecutor extends RemoteExecutor {
  /**
   * Loads the key (ssh.privateKeyPath, decrypted with LIVEMIG_SSH_KEY_PASSPHRASE) and checks the
   * agent setting now, before any host is asked: a missing, unreadable, garbage or locked key is
   * one config error naming the path and the cause, not every host failing one by one.
   */
  checkCredentials(): Promise<void>;
}

/**
 * The production RemoteExecutor: pooled ssh2 connections to inventory hosts with strict host
 * keys, channel limits, per-command timeouts and an output cap. Nothing connects until the
 * first run(); credentials are loaded once, on first use.
 */
export function createSshExecutor(
  config: Config,
  secrets: Secrets,
  options: SshExecutorOptions = {},
): SshExecutor {
  const clock = options.clock ?? systemClock;
  const { ssh, limits } = config;
  const endpoints = new Map(
    [config.cluster.controller, ...config.cluster.hypervisors].map((host) => [host.name, host] as const),
  );
  let auth: Promise<AuthMaterial> | undefined;
  const authMaterial = () => {
    auth ??= loadAuthMaterial({
      privateKeyPath: ssh.privateKeyPath,
      privateKey: options.privateKey,
      passphrase: secrets.sshKeyPassphrase,
      useAgent: ssh.useAgent,
      agentSocket: options.agentSocket ?? process.env.SSH_AUTH_SOCK,
    });
    // A failed load (wrong passphrase) is retried next time, after the operator fixed it.
    auth.catch(() => {
      auth = undefined;
    });
    return auth;
  };
  const loadKnownHosts = knownHostsLoader(ssh.knownHostsPath);
  let verifier: { entries: KnownHostEntry[]; verifier: HostKeyVerifier } | undefined;
  const currentVerifier = async () => {
    const entries = await loadKnownHosts();
    if (verifier?.entries !== entries) {
      verifier = { entries, verifier: createHostKeyVerifier(entries, ssh.hostKeyFingerprints) };
    }
    return verifier.verifier;
  };

  /** Opens a connection to `subject`, directly or through a tunnel of the jump host `via`. */
  const open = async (subject: HostKeySubject, user: string, via?: Client) => {
    const [material, hostKeys] = await Promise.all([authMaterial(), currentVerifier()]);
    return dial({
      subject,
      user,
      auth: material,
      checkHostKey: (s, keyBlob) => hostKeys.check(s, keyBlob),
      preferredHostKeyTypes: hostKeys.knownKeyTypes(subject),
      connectTimeoutMs: limits.sshConnectTimeoutMs,
      knownHostsPath: ssh.knownHostsPath,
      ...(via ? { sock: await forward(via, subject, limits.sshConnectTimeoutMs) } : {}),
    });
  };

  // One connection to the jump host carries the tunnels to every target; it is reopened when it
  // breaks and verified like any host, under its address:port.
  let jumpClient: Promise<Client> | undefined;
  const connectJumpHost = (jump: NonNullable<Config['ssh']['jumpHost']>): Promise<Client> => {
    if (!jumpClient) {
      const opening = open({ address: jump.address, port: jump.port }, jump.user ?? ssh.user);
      jumpClient = opening;
      const forget = () => {
        if (jumpClient === opening) jumpClient = undefined;
      };
      opening.then((client) => {
        client.on('close', forget);
        client.on('error', forget);
      }, forget);
    }
    return jumpClient;
  };

  const pool = new ConnectionPool(
    {
      maxChannels: limits.sshMaxChannels,
      maxChannelsPerHost: limits.sshMaxChannelsPerHost,
      maxChannelsPerConnection: limits.sshMaxChannelsPerConnection,
      idleTimeoutMs: limits.sshIdleTimeoutMs,
    },
    async (host) => {
      const endpoint = endpoints.get(host)!;
      const subject = { address: endpoint.address, port: endpoint.port, inventoryName: host };
      return open(subject, ssh.user, ssh.jumpHost ? await connectJumpHost(ssh.jumpHost) : undefined);
    },
    () => clock.now(),
  );

  return {
    async checkCredentials() {
      await authMaterial();
    },
    async run(host: string, command: RemoteCommand, runOptions: RunOptions = {}): Promise<CommandResult> {
      if (!endpoints.has(host)) {
        throw new LivemigError('unknown_host', `${JSON.stringify(host)} is not in the inventory`, {
          hint: `Known hosts: ${[...endpoints.keys()].join(', ')}.`,
        });
      }
      const line = commandLine(command, ssh.sudo);
      const timeoutMs = runOptions.timeoutMs ?? limits.sshCommandTimeoutMs;
      return pool.withChannel(
        host,
        line,
        (lent) =>
          runOnChannel(lent, {
            stdin: command.stdin,
            timeoutMs,
            maxOutputBytes: runOptions.maxOutputBytes ?? limits.sshMaxOutputBytes,
            signal: runOptions.signal,
            clock,
            host,
            program: command.program,
            connectionBroken: lent.connectionBroken,
          }),
        timeoutMs,
        runOptions.signal,
      );
    },
    async close() {
      pool.close();
      const client = jumpClient;
      jumpClient = undefined;
      if (client) (await client.catch(() => undefined))?.end();
    },
  };
}

/** A TCP stream to the target through the jump host (ssh -J). */
function forward(jumpHost: Client, target: HostKeySubject, timeoutMs: number): Promise<Duplex> {
  const label = target.inventoryName ?? target.address;
  return new Promise((resolve, reject) => {
    const guard = setTimeout(
      () =>
        reject(
          new LivemigError(
            'ssh_connect_failed',
            `the jump host did not open a tunnel to ${label} (${target.address}:${target.port}) within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    const failed = (reason: string) =>
      new LivemigError(
        'ssh_connect_failed',
        `the jump host cannot reach ${label} at ${target.address}:${target.port}: ${reason}`,
        { hint: `Check that the jump host can connect to ${target.address}:${target.port}.` },
      );
    try {
      jumpHost.forwardOut('127.0.0.1', 0, target.address, target.port, (error, stream) => {
        clearTimeout(guard);
        if (error) reject(failed(error.message));
        else resolve(stream);
      });
    } catch (error) {
      // ssh2 throws "Not connected" when the jump connection died a moment ago.
      clearTimeout(guard);
      reject(failed((error as Error).message));
    }
  });
}
