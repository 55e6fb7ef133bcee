import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2, { type AuthContext, type Connection, type ParsedKey, type Server as SshServer } from 'ssh2';
import { LivemigError } from '../../errors.js';
import { type ExecService, type HostFaults, serveExec } from './exec-channel.js';
import type { LabHostKey } from './lab-keys.js';

export interface HostListenerOptions {
  service: ExecService;
  hostKey: LabHostKey;
  /** The only public key allowed in, for any user name. */
  clientKey: ParsedKey;
  /** Channels open at once on one connection before new ones are refused (OpenSSH MaxSessions). */
  maxSessionsPerConnection: number;
}

/** Faults that start with a host in good health. */
export function healthyFaults(): HostFaults {
  return { down: false, hang: false, slowMs: 0, lossProbability: 0, authFail: false };
}

/**
 * One lab host on 127.0.0.1: a TCP listener handing sockets to an ssh2 Server that carries the
 * host's key. The listener is ours, not ssh2's, so faults can act before SSH starts: a down host
 * refuses connections, a hung one accepts TCP and never says a word.
 */
export class HostListener {
  readonly #options: HostListenerOptions;
  readonly #tcp: NetServer;
  #ssh: SshServer;
  readonly #sockets = new Set<Socket>();
  /** Sockets accepted while hung: never handed to SSH. */
  readonly #silentSockets = new Set<Socket>();
  #port = 0;

  constructor(options: HostListenerOptions) {
    this.#options = options;
    this.#ssh = this.#createSshServer(options.hostKey);
    this.#tcp = createServer((socket) => this.#accept(socket));
  }

  get host(): string {
    return this.#options.service.host;
  }

  get faults(): HostFaults {
    return this.#options.service.faults;
  }

  /** The bound TCP port (stable across down/up). */
  get port(): number {
    return this.#port;
  }

  /** Starts listening on `port` (0: the OS picks one). */
  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          new LivemigError(
            'usage',
            `lab host ${this.host} cannot listen on 127.0.0.1:${port}: ${error.code}`,
            {
              hint: 'Pick another first port with --port, or leave it out to let the system choose.',
            },
          ),
        );
      };
      this.#tcp.once('error', onError);
      this.#tcp.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
        this.#tcp.removeListener('error', onError);
        resolve();
      });
    });
    const address = this.#tcp.address();
    if (address !== null && typeof address === 'object') this.#port = address.port;
  }

  /** Host down: connections are refused and the ones open are cut. Up again on the same port. */
  async setDown(down: boolean): Promise<void> {
    if (down === this.faults.down) return;
    this.faults.down = down;
    if (down) await this.#closeTcp();
    else await this.listen(this.#port);
  }

  /** Hang: new connections get no handshake and open ones get no answers until cleared. */
  setHang(hang: boolean): void {
    this.faults.hang = hang;
    // Clearing the fault frees the sockets left dangling, so clients see a reset, not a hang.
    if (!hang) for (const socket of this.#silentSockets) socket.destroy();
  }

  /** The host presents `key` from the next connection on (open connections keep the old one). */
  replaceHostKey(key: LabHostKey): void {
    this.#ssh = this.#createSshServer(key);
  }

  /** Stops listening and cuts every connection. */
  async stop(): Promise<void> {
    this.faults.down = true;
    await this.#closeTcp();
  }

  async #closeTcp(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    if (!this.#tcp.listening) return;
    await new Promise<void>((resolve) => this.#tcp.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      this.#silentSockets.delete(socket);
    });
    socket.on('error', () => {
      // A client resetting the connection is normal traffic for a lab host.
    });
    // A reply is several small SSH packets (data, exit status, EOF, close): with Nagle's
    // algorithm each command would wait ~40 ms for the client's delayed ACK.
    socket.setNoDelay(true);
    if (this.faults.hang) this.#silentSockets.add(socket);
    else this.#ssh.injectSocket(socket);
  }

  #createSshServer(key: LabHostKey): SshServer {
    const server = new ssh2.Server(
      { hostKeys: [{ key: key.privateKey }], ident: 'OpenSSH_8.9p1 livemig-lab' },
      (client, info) => this.#serveConnection(client, `${info.ip}:${(info as { port?: number }).port}`),
    );
    server.on('error', () => {
      // Errors of one connection surface on that connection; the listener itself stays up.
    });
    return server;
  }

  #serveConnection(client: Connection, remote: string): void {
    let user = 'root';
    let openSessions = 0;
    client.on('error', () => {
      // A protocol error or reset ends this connection only.
    });
    client.on('authentication', (ctx) => {
      if (!this.faults.authFail && this.#acceptsKey(ctx)) {
        user = ctx.username;
        ctx.accept();
      } else ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept, reject) => {
        if (openSessions >= this.#options.maxSessionsPerConnection) return reject();
        openSessions++;
        const session = accept();
        session.once('close', () => openSessions--);
        session.on('pty', (_accept, rejectPty) => rejectPty?.());
        session.on('shell', (_accept, rejectShell) => rejectShell());
        session.on('subsystem', (_accept, rejectSubsystem) => rejectSubsystem());
        session.on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          void serveExec(channel, info.command, user, this.#options.service, () => this.#drop(remote));
        });
      });
    });
  }

  #acceptsKey(ctx: AuthContext): boolean {
    if (ctx.method !== 'publickey') return false;
    const allowed = this.#options.clientKey;
    const offered = ctx.key.data;
    const expected = allowed.getPublicSSH();
    if (
      ctx.key.algo !== allowed.type ||
      offered.length !== expected.length ||
      !timingSafeEqual(offered, expected)
    ) {
      return false;
    }
    // Without a signature the client only asks whether this key would do; with one it proves it.
    return ctx.signature === undefined || allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true;
  }

  #drop(remote: string): void {
    for (const socket of this.#sockets) {
      if (`${socket.remoteAddress}:${socket.remotePort}` === remote) socket.destroy();
    }
  }
}
