import type { Duplex } from 'node:stream';
import type {
  AgentAuthMethod,
  ConnectConfig,
  KexAlgorithm,
  ParsedKey,
  PublicKeyAuthMethod,
  ServerHostKeyAlgorithm,
} from 'ssh2';
// ssh2 is CommonJS: under Node's ESM loader only its default export is reliable.
import ssh2 from 'ssh2';
import { LivemigError } from '../errors.js';
import { type HostKeyCheck, type HostKeySubject, hostKeyError } from './host-key-verifier.js';

/** The credentials a connection may use; never logged and never put in a message. */
export interface AuthMaterial {
  privateKey?: ParsedKey;
  /** Path of the ssh-agent socket. */
  agentSocket?: string;
}

/** Everything needed to open one SSH connection to one endpoint. */
export interface DialRequest {
  subject: HostKeySubject;
  user: string;
  auth: AuthMaterial;
  checkHostKey: (subject: HostKeySubject, keyBlob: Buffer) => HostKeyCheck;
  /** Host key types known for the subject: asked for first so a host with several keys is not mistaken for changed. */
  preferredHostKeyTypes: readonly string[];
  connectTimeoutMs: number;
  knownHostsPath?: string;
  /** A stream already connected to the endpoint (a jump host's forwardOut); else TCP. */
  sock?: Duplex;
}

/**
 * ssh2's default host key algorithms, in its order. An explicit list is the only way to reorder
 * them: ssh2's `prepend` skips any algorithm already in the list, i.e. every one of these.
 */
const defaultHostKeyAlgorithms: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Key exchanges, ssh2's defaults with ecdh-sha2-nistp256 first: OpenSSL does P-256 faster than
 * ssh2's curve25519 path, which cut livemig's client CPU per host by 12-15% in a fan-out to 1000
 * lab hosts (`npm run bench -- fanout`, three paired runs). OpenSSH servers offer it by default
 * since 5.7 (KEX_SERVER_KEX in myproposal.h), so every supported release accepts it.
 */
const keyExchangeAlgorithms: readonly KexAlgorithm[] = [
  'ecdh-sha2-nistp256',
  'curve25519-sha256',
  'curve25519-sha256@libssh.org',
  'ecdh-sha2-nistp384',
  'ecdh-sha2-nistp521',
  'diffie-hellman-group-exchange-sha256',
  'diffie-hellman-group14-sha256',
  'diffie-hellman-group16-sha512',
  'diffie-hellman-group18-sha512',
];

/** The signature algorithms that belong to each host key type. */
const algorithmsOfKeyType: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
};

/**
 * Opens and authenticates one SSH connection. Every failure becomes a LivemigError that names
 * the host: a refused host key (with fingerprints), authentication (user@host), no connection
 * or no handshake within connectTimeoutMs (address:port). ssh2's readyTimeout covers the
 * handshake; our own guard also covers a stream that never delivers anything.
 */
export function dial(request: DialRequest): Promise<ssh2.Client> {
  const { subject, user, auth } = request;
  const label = subject.inventoryName ?? subject.address;
  const endpoint = `${subject.address}:${subject.port}`;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let refusedKey: Exclude<HostKeyCheck, { outcome: 'ok' }> | undefined;
    let settled = false;
    const fail = (error: LivemigError) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      client.removeAllListeners('ready');
      client.on('error', () => {});
      client.destroy();
      reject(error);
    };
    const guard = setTimeout(
      () =>
        fail(
          new LivemigError(
            'ssh_connect_failed',
            `no SSH handshake from ${label} (${endpoint}) within ${request.connectTimeoutMs} ms`,
            { hint: 'The port accepts connections but no SSH server answers: check the host and its sshd.' },
          ),
        ),
      request.connectTimeoutMs + 250,
    );
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (refusedKey) return fail(hostKeyError(subject, refusedKey, request.knownHostsPath));
      if (error.level === 'client-authentication') {
        return fail(
          new LivemigError(
            'ssh_auth_failed',
            `SSH authentication failed for ${user}@${label} (${endpoint})`,
            {
              hint: `Check that the public key of ssh.privateKeyPath (or the agent's key) is in ~${user}/.ssh/authorized_keys on ${label}.`,
              cause: error,
            },
          ),
        );
      }
      const reason =
        error.level === 'client-timeout'
          ? `no SSH handshake within ${request.connectTimeoutMs} ms`
          : (error.code ?? error.message);
      fail(
        new LivemigError('ssh_connect_failed', `cannot connect to ${label} at ${endpoint}: ${reason}`, {
          hint: `Check that ${label} is up and that sshd listens on ${endpoint}.`,
          cause: error,
        }),
      );
    });
    client.on('close', () =>
      fail(
        refusedKey
          ? hostKeyError(subject, refusedKey, request.knownHostsPath)
          : new LivemigError(
              'ssh_connect_failed',
              `${label} (${endpoint}) closed the connection during the SSH handshake`,
            ),
      ),
    );
    const preferred = request.preferredHostKeyTypes.flatMap((type) => algorithmsOfKeyType[type] ?? []);
    const config: ConnectConfig = {
      host: subject.address,
      port: subject.port,
      username: user,
      readyTimeout: request.connectTimeoutMs,
      authHandler: authMethods(user, auth),
      hostVerifier: (keyBlob: Buffer) => {
        const check = request.checkHostKey(subject, keyBlob);
        if (check.outcome === 'ok') return true;
        refusedKey = check;
        return false;
      },
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      algorithms: { kex: [...keyExchangeAlgorithms] },
    };
    if (preferred.length > 0) {
      // Like OpenSSH: ask first for the key types known_hosts holds for this host, so a host
      // with several keys presents the one we know instead of looking changed.
      config.algorithms = {
        ...config.algorithms,
        serverHostKey: [...new Set([...preferred, ...defaultHostKeyAlgorithms])],
      };
    }
    if (request.sock) config.sock = request.sock;
    try {
      client.connect(config);
      // A command is a burst of small packets (open, exec, eof, close); with Nagle's algorithm
      // each burst waits for the peer's delayed ACK, about 40 ms per command.
      client.setNoDelay(true);
    } catch (error) {
      fail(
        new LivemigError(
          'ssh_connect_failed',
          `cannot connect to ${label} at ${endpoint}: ${(error as Error).message}`,
        ),
      );
    }
  });
}

function authMethods(user: string, auth: AuthMaterial): Array<PublicKeyAuthMethod | AgentAuthMethod> {
  const methods: Array<PublicKeyAuthMethod | AgentAuthMethod> = [];
  if (auth.privateKey) methods.push({ type: 'publickey', username: user, key: auth.privateKey });
  if (auth.agentSocket) methods.push({ type: 'agent', username: user, agent: auth.agentSocket });
  return methods;
}
