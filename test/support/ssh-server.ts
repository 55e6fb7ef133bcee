import { createPublicKey, verify as cryptoVerify, timingSafeEqual } from 'node:crypto';
import { type AddressInfo, connect } from 'node:net';
import type { Connection } from 'ssh2';
import ssh2 from 'ssh2';
import { preparedSigningKey } from '../../src/ssh/auth.js';

// ssh2 is CommonJS: under Node's ESM loader (the bench) only its default export is reliable.
const { Server, utils } = ssh2;

/** What a test's handler sees for one exec request. */
export interface ExecRequest {
  command: string;
  /** Everything the client wrote to stdin, once it closed it. */
  stdin: () => Promise<string>;
}

/** A handler's answer; a promise that never settles leaves the command hanging. */
export interface ExecReply {
  stdout?: string | Buffer;
  stderr?: string;
  code?: number;
}

export type ExecHandler = (request: ExecRequest) => ExecReply | Promise<ExecReply>;

export interface TestSshServerOptions {
  /** OpenSSH public key line (`ssh-ed25519 AAAA… comment`) that may log in. */
  clientPublicKey: string;
  handler?: ExecHandler;
  /** Refuse session channels beyond this many open on one connection (like sshd MaxSessions). */
  maxChannelsPerConnection?: number;
  /** Accept direct-tcpip channels (ssh -J / forwardOut) to any 127.0.0.1 port. */
  allowForwarding?: boolean;
  /** Host private key (OpenSSH format); a fresh ed25519 key when absent. */
  hostPrivateKey?: string;
  /** Further host keys of other types (OpenSSH format), offered like sshd's several HostKey lines. */
  extraHostPrivateKeys?: readonly string[];
}

/** What the server observed, for assertions. */
export interface ServerStats {
  connections: number;
  channelsOpened: number;
  channelsRefused: number;
  openChannels: number;
  maxOpenChannels: number;
  forwards: number;
}

export interface TestSshServer {
  address: '127.0.0.1';
  port: number;
  /** The host key's public blob (what known_hosts holds, base64-decoded). */
  hostKeyBlob: Buffer;
  /** A known_hosts line for this server. */
  knownHostsLine: string;
  stats: ServerStats;
  handler: ExecHandler;
  /** Refuse every new session channel while true. */
  refuseChannels: boolean;
  /** Ends every client connection, as a host reboot or a network cut would. */
  dropConnections(): void;
  close(): Promise<void>;
}

type KeyPairOptions = Parameters<typeof utils.generateKeyPairSync>[1];

/**
 * A key pair from ssh2's generator, regenerated until ssh2 can parse both halves: about 0.5% of
 * its ed25519 pairs come out "Malformed OpenSSH private key", which would fail a test at random.
 */
export function generateKeyPair(
  type: 'ed25519' | 'ecdsa' = 'ed25519',
  options: KeyPairOptions = {},
): { private: string; public: string } {
  for (;;) {
    const pair =
      type === 'ecdsa'
        ? utils.generateKeyPairSync('ecdsa', { bits: 256, ...options })
        : utils.generateKeyPairSync('ed25519', options);
    const passphrase = (options as { passphrase?: string }).passphrase;
    if (
      !(utils.parseKey(pair.private, passphrase) instanceof Error) &&
      !(utils.parseKey(pair.public) instanceof Error)
    ) {
      return pair;
    }
  }
}

/** A fresh client key pair: private key for the executor, public line for the server. */
export function generateClientKey(): { privateKey: Buffer; publicKey: string } {
  const pair = generateKeyPair();
  return { privateKey: Buffer.from(pair.private), publicKey: pair.public };
}

/** A fresh ed25519 host private key (OpenSSH format). */
export function generateHostKey(): string {
  return generateKeyPair().private;
}

/**
 * Starts an ssh2 Server on 127.0.0.1 (random port) that accepts one client key and answers exec
 * requests with the handler (default: exit 0, no output). Stop it with close().
 */
export async function startSshServer(options: TestSshServerOptions): Promise<TestSshServer> {
  const hostPrivateKey = options.hostPrivateKey ?? generateHostKey();
  const hostKey = utils.parseKey(hostPrivateKey);
  const clientKey = utils.parseKey(options.clientPublicKey);
  if (hostKey instanceof Error || Array.isArray(hostKey)) throw new Error('bad host key');
  const extraHostKeys = (options.extraHostPrivateKeys ?? []).map((text) => {
    const parsed = utils.parseKey(text);
    if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('bad extra host key');
    return parsed;
  });
  if (clientKey instanceof Error || Array.isArray(clientKey)) throw new Error('bad client key');
  const clientBlob = clientKey.getPublicSSH();
  // Verify with a key object parsed once: ssh2's own verify re-parses PEM text every time, which
  // dominates a handshake when a benchmark opens a thousand connections in one process.
  const clientKeyObject =
    clientKey.type === 'ssh-ed25519' ? createPublicKey(clientKey.getPublicPEM()) : undefined;
  const signatureValid = (data: Buffer, signature: Buffer, hashAlgo: string | undefined) =>
    clientKeyObject
      ? cryptoVerify(null, data, clientKeyObject, signature)
      : clientKey.verify(data, signature, hashAlgo) === true;
  const stats: ServerStats = {
    connections: 0,
    channelsOpened: 0,
    channelsRefused: 0,
    openChannels: 0,
    maxOpenChannels: 0,
    forwards: 0,
  };
  const clients = new Set<Connection>();

  const hostKeys = [hostKey, ...extraHostKeys].map((key) => ({ key: preparedSigningKey(key) }));
  const server = new Server({ hostKeys }, (client) => {
    clients.add(client);
    // Untyped in @types/ssh2; without it every reply waits for the client's delayed ACK.
    (client as unknown as { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    let openHere = 0;
    client.on('error', () => {});
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      const blobMatches =
        ctx.method === 'publickey' &&
        ctx.key.data.length === clientBlob.length &&
        timingSafeEqual(ctx.key.data, clientBlob);
      if (!blobMatches || ctx.method !== 'publickey') return ctx.reject(['publickey']);
      if (!ctx.signature) return ctx.accept();
      if (signatureValid(ctx.blob!, ctx.signature, ctx.hashAlgo)) return ctx.accept();
      ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      stats.connections += 1;
      client.on('tcpip', (accept, reject, info) => {
        if (!options.allowForwarding || info.destIP !== '127.0.0.1') return reject();
        const socket = connect(info.destPort, info.destIP);
        socket.on('error', () => reject());
        socket.on('connect', () => {
          stats.forwards += 1;
          const channel = accept();
          channel.pipe(socket).pipe(channel);
        });
      });
      client.on('session', (accept, reject) => {
        const limit = options.maxChannelsPerConnection ?? Number.POSITIVE_INFINITY;
        if (testServer.refuseChannels || openHere >= limit) {
          stats.channelsRefused += 1;
          return reject();
        }
        const session = accept();
        openHere += 1;
        stats.channelsOpened += 1;
        stats.openChannels += 1;
        stats.maxOpenChannels = Math.max(stats.maxOpenChannels, stats.openChannels);
        let counted = true;
        session.on('close', () => {
          if (!counted) return;
          counted = false;
          openHere -= 1;
          stats.openChannels -= 1;
        });
        session.on('exec', (acceptExec, _rejectExec, info) => {
          const stream = acceptExec();
          const chunks: Buffer[] = [];
          const stdinDone = new Promise<string>((resolve) => {
            stream.on('data', (chunk: Buffer) => chunks.push(chunk));
            stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          });
          Promise.resolve(testServer.handler({ command: info.command, stdin: () => stdinDone })).then(
            (reply) => {
              if (reply.stdout !== undefined) stream.write(reply.stdout);
              if (reply.stderr !== undefined) stream.stderr.write(reply.stderr);
              stream.exit(reply.code ?? 0);
              stream.end();
            },
            () => {
              stream.exit(255);
              stream.end();
            },
          );
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hostKeyBlob = hostKey.getPublicSSH();
  const testServer: TestSshServer = {
    address: '127.0.0.1',
    port,
    hostKeyBlob,
    knownHostsLine: `[127.0.0.1]:${port} ${hostKey.type} ${hostKeyBlob.toString('base64')}`,
    stats,
    handler: options.handler ?? (() => ({ code: 0 })),
    refuseChannels: false,
    dropConnections() {
      for (const client of clients) client.end();
    },
    close() {
      for (const client of clients) client.end();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return testServer;
}
