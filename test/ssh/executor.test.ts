import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import ssh2 from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { fingerprintOf, hashHostName } from '../../src/ssh/known-hosts.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { SimClock } from '../../src/util/clock.js';
import {
  generateClientKey,
  generateKeyPair,
  startSshServer,
  type TestSshServer,
} from '../support/ssh-server.js';
import { knownHostsFile, noSecrets, rejection, sshTestConfig } from './fixtures.js';

const clientKey = generateClientKey();
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: Partial<Parameters<typeof startSshServer>[0]> = {}): Promise<TestSshServer> {
  const started = await startSshServer({ clientPublicKey: clientKey.publicKey, ...options });
  cleanups.push(() => started.close());
  return started;
}

function executor(
  servers: ReadonlyArray<{ name: string; server: TestSshServer }>,
  options: {
    ssh?: Record<string, unknown>;
    limits?: Partial<Config['limits']>;
    knownHosts?: string[];
    privateKey?: Buffer;
  } = {},
): RemoteExecutor {
  const file = knownHostsFile(options.knownHosts ?? servers.map(({ server }) => server.knownHostsLine));
  const config = sshTestConfig(
    servers.map(({ name, server }) => ({ name, port: server.port })),
    { knownHostsPath: file.path, ...options.ssh },
    options.limits,
  );
  const created = createSshExecutor(config, noSecrets, {
    privateKey: options.privateKey ?? clientKey.privateKey,
  });
  cleanups.push(() => file.remove());
  cleanups.push(() => created.close());
  return created;
}

const slowly = (ms: number) => async () => {
  await sleep(ms);
  return { code: 0 };
};

/**
 * Once armed, holds every command until `count` run at once (or 10 s passed), so that on a busy
 * machine the first commands cannot end before the pool's last connection is up: the count the
 * server sees is what the pool allows, not a race against the handshake. Unarmed (a warm-up),
 * commands answer at once.
 */
function heldUntilRunning(count: number) {
  let armed = false;
  let running = 0;
  const waiting: (() => void)[] = [];
  const handler = async () => {
    if (!armed) return { code: 0 };
    running += 1;
    if (running >= count) for (const release of waiting.splice(0)) release();
    else {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    running -= 1;
    return { code: 0 };
  };
  return {
    handler,
    arm: () => {
      armed = true;
    },
  };
}

describe('running commands', () => {
  it('returns exit code, stdout and stderr as a value and sends the quoted command line', async () => {
    const seen: string[] = [];
    const host = await server({
      handler: ({ command }) => {
        seen.push(command);
        return { stdout: 'out\n', stderr: 'err\n', code: 3 };
      },
    });
    const ssh = executor([{ name: 'node01', server: host }]);
    const result = await ssh.run('node01', { program: 'virsh', args: ['dominfo', "it's a vm"] });
    expect(result).toMatchObject({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen).toEqual([`virsh dominfo 'it'\\''s a vm'`]);
  });

  it('measures durationMs on the injected clock', async () => {
    const clock = new SimClock();
    const host = await server({
      handler: () => {
        clock.advance(1500);
        return {};
      },
    });
    const file = knownHostsFile([host.knownHostsLine]);
    cleanups.push(() => file.remove());
    const config = sshTestConfig([{ name: 'node01', port: host.port }], { knownHostsPath: file.path });
    const ssh = createSshExecutor(config, noSecrets, { clock, privateKey: clientKey.privateKey });
    cleanups.push(() => ssh.close());
    expect((await ssh.run('node01', { program: 'true', args: [] })).durationMs).toBe(1500);
  });

  it('writes stdin and closes it', async () => {
    const host = await server({ handler: async ({ stdin }) => ({ stdout: (await stdin()).toUpperCase() }) });
    const ssh = executor([{ name: 'node01', server: host }]);
    const result = await ssh.run('node01', { program: 'cat', args: [], stdin: 'hello' });
    expect(result.stdout).toBe('HELLO');
  });

  it('prefixes sudo -n when ssh.sudo is set', async () => {
    const seen: string[] = [];
    const host = await server({
      handler: ({ command }) => {
        seen.push(command);
        return {};
      },
    });
    const ssh = executor([{ name: 'node01', server: host }], { ssh: { sudo: true } });
    await ssh.run('node01', { program: 'true', args: [] });
    expect(seen).toEqual(['sudo -n true']);
  });

  it('refuses a host that is not in the inventory', async () => {
    const host = await server();
    const ssh = executor([{ name: 'node01', server: host }]);
    const error = await rejection(ssh.run('node99', { program: 'true', args: [] }));
    expect(error.code).toBe('unknown_host');
    expect(error.message).toContain('node99');
  });
});

describe('connection pool', () => {
  it('runs many commands over one reused connection', async () => {
    const host = await server();
    const ssh = executor([{ name: 'node01', server: host }]);
    for (let i = 0; i < 5; i += 1) await ssh.run('node01', { program: 'true', args: [] });
    await Promise.all(Array.from({ length: 8 }, () => ssh.run('node01', { program: 'true', args: [] })));
    expect(host.stats.connections).toBe(1);
    expect(host.stats.channelsOpened).toBe(13);
  });

  it('never has more channels open on a host than limits.sshMaxChannelsPerHost', async () => {
    const host = await server({ handler: slowly(20) });
    const ssh = executor([{ name: 'node01', server: host }], { limits: { sshMaxChannelsPerHost: 3 } });
    await Promise.all(Array.from({ length: 20 }, () => ssh.run('node01', { program: 'true', args: [] })));
    expect(host.stats.maxOpenChannels).toBe(3);
  });

  it('never has more channels open in all than limits.sshMaxChannels', async () => {
    let running = 0;
    let maxRunning = 0;
    const handler = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await sleep(20);
      running -= 1;
      return {};
    };
    const a = await server({ handler });
    const b = await server({ handler });
    const ssh = executor(
      [
        { name: 'node01', server: a },
        { name: 'node02', server: b },
      ],
      { limits: { sshMaxChannels: 4, sshMaxChannelsPerHost: 8 } },
    );
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ssh.run(i % 2 ? 'node01' : 'node02', { program: 'true', args: [] }),
      ),
    );
    expect(maxRunning).toBe(4);
  });

  it('opens another connection when one reaches limits.sshMaxChannelsPerConnection', async () => {
    const gate = heldUntilRunning(6);
    const host = await server({ handler: gate.handler });
    const ssh = executor([{ name: 'node01', server: host }], {
      limits: { sshMaxChannelsPerHost: 6, sshMaxChannelsPerConnection: 2 },
    });
    await warmUp(ssh);
    gate.arm();
    await Promise.all(Array.from({ length: 6 }, () => ssh.run('node01', { program: 'true', args: [] })));
    expect(host.stats.connections).toBe(3);
    expect(host.stats.maxOpenChannels).toBe(6);
  });

  it('recovers when the server refuses channels beyond its own per-connection limit', async () => {
    const host = await server({ handler: slowly(30), maxChannelsPerConnection: 3 });
    const ssh = executor([{ name: 'node01', server: host }], {
      limits: { sshMaxChannelsPerHost: 9, sshMaxChannelsPerConnection: 10 },
    });
    await warmUp(ssh);
    const results = await Promise.all(
      Array.from({ length: 9 }, () => ssh.run('node01', { program: 'true', args: [] })),
    );
    expect(results.every((r) => r.code === 0)).toBe(true);
    expect(host.stats.channelsRefused).toBeGreaterThan(0);
    expect(host.stats.connections).toBeGreaterThanOrEqual(3);
  });

  it('starts a host with one command at once and widens while it answers quickly', async () => {
    const host = await server({ handler: slowly(30) });
    const ssh = executor([{ name: 'node01', server: host }], { limits: { sshMaxChannelsPerHost: 8 } });
    await Promise.all(Array.from({ length: 3 }, () => ssh.run('node01', { program: 'true', args: [] })));
    // 1 alone, then the other 2 together once it came back quickly.
    expect(host.stats.maxOpenChannels).toBe(2);
    await warmUp(ssh);
    await Promise.all(Array.from({ length: 8 }, () => ssh.run('node01', { program: 'true', args: [] })));
    expect(host.stats.maxOpenChannels).toBe(8);
  });

  it('narrows to one command at a time on a host that answers slowly, instead of timing out', async () => {
    // A shell lock: every command waits for the ones before it (a slow login shell).
    let queue = Promise.resolve();
    const host = await server({
      handler: () => {
        const turn = queue.then(() => sleep(120));
        queue = turn;
        return turn.then(() => ({}));
      },
    });
    const ssh = executor([{ name: 'node01', server: host }], {
      limits: { sshMaxChannelsPerHost: 8, sshCommandTimeoutMs: 400 },
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => ssh.run('node01', { program: 'true', args: [] })),
    );
    // Eight at once would have waited up to 8 × 120 ms, past the 400 ms timeout.
    expect(results.every((result) => result.code === 0)).toBe(true);
    expect(host.stats.maxOpenChannels).toBeLessThanOrEqual(2);
  });

  it('reports a host that refuses every channel', async () => {
    const host = await server();
    host.refuseChannels = true;
    const ssh = executor([{ name: 'node01', server: host }]);
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_channel_refused');
    expect(error.message).toContain('node01');
  });

  it('completes 200 concurrent commands to one host', async () => {
    const host = await server({ handler: ({ command }) => ({ stdout: command }) });
    const ssh = executor([{ name: 'node01', server: host }]);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => ssh.run('node01', { program: 'echo', args: [String(i)] })),
    );
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 200 }, (_, i) => `echo ${i}`));
    expect(host.stats.maxOpenChannels).toBeLessThanOrEqual(8);
  });

  it('reconnects after the server dropped the connection', async () => {
    const host = await server();
    const ssh = executor([{ name: 'node01', server: host }]);
    await ssh.run('node01', { program: 'true', args: [] });
    host.dropConnections();
    await sleep(50);
    expect((await ssh.run('node01', { program: 'true', args: [] })).code).toBe(0);
    expect(host.stats.connections).toBe(2);
  });

  it('reports a command whose connection dropped while it ran', async () => {
    let started = false;
    const host = await server({
      handler: () => {
        started = true;
        return new Promise(() => {});
      },
    });
    const ssh = executor([{ name: 'node01', server: host }]);
    const running = ssh.run('node01', { program: 'sleep', args: ['60'] });
    while (!started) await sleep(10);
    host.dropConnections();
    const error = await rejection(running);
    expect(error.code).toBe('ssh_disconnected');
    expect(error.message).toContain('node01');
  });

  it('never sends a command again when the connection drops as it starts', async () => {
    let runs = 0;
    const host: TestSshServer = await server({
      handler: () => {
        runs += 1;
        host.dropConnections();
        return new Promise(() => {});
      },
    });
    const ssh = executor([{ name: 'node01', server: host }]);
    const error = await rejection(ssh.run('node01', { program: 'nova', args: ['live-migration', 'vm1'] }));
    expect(error.code).toBe('ssh_disconnected');
    await sleep(100);
    expect(runs).toBe(1);
  });

  it('closes idle connections after limits.sshIdleTimeoutMs', async () => {
    const host = await server();
    const ssh = executor([{ name: 'node01', server: host }], { limits: { sshIdleTimeoutMs: 100 } });
    await ssh.run('node01', { program: 'true', args: [] });
    await sleep(300);
    await ssh.run('node01', { program: 'true', args: [] });
    expect(host.stats.connections).toBe(2);
  });
});

describe('timeouts and output cap', () => {
  it('closes the channel of a command that outlives its timeout and names host, program and timeout', async () => {
    const host = await server({ handler: () => new Promise(() => {}) });
    const ssh = executor([{ name: 'node01', server: host }]);
    const error = await rejection(ssh.run('node01', { program: 'sleep', args: ['60'] }, { timeoutMs: 200 }));
    expect(error.code).toBe('ssh_timeout');
    expect(error.message).toMatch(/sleep on node01 .*200 ms/);
    await sleep(50);
    expect(host.stats.openChannels).toBe(0);
  });

  it('stops a command whose output passes the cap', async () => {
    const host = await server({ handler: () => ({ stdout: 'x'.repeat(10_000) }) });
    const ssh = executor([{ name: 'node01', server: host }]);
    const error = await rejection(
      ssh.run('node01', { program: 'cat', args: ['big'] }, { maxOutputBytes: 1000 }),
    );
    expect(error.code).toBe('ssh_output_too_large');
    expect(error.message).toContain('1000 bytes');
    const fits = await ssh.run('node01', { program: 'cat', args: ['big'] }, { maxOutputBytes: 10_000 });
    expect(fits.stdout).toHaveLength(10_000);
  });
});

describe('cancelling', () => {
  it('stops a running command when its AbortSignal fires', async () => {
    const host = await server({ handler: () => new Promise(() => {}) });
    const ssh = executor([{ name: 'node01', server: host }]);
    const controller = new AbortController();
    const running = ssh.run('node01', { program: 'sleep', args: ['60'] }, { signal: controller.signal });
    while (host.stats.openChannels === 0) await sleep(10);
    controller.abort(new Error('migration cancelled'));
    await expect(running).rejects.toThrow('migration cancelled');
    expect(host.stats.openChannels).toBe(0);
  });

  it('drops a command that is still waiting for a channel slot', async () => {
    const host = await server({ handler: () => new Promise(() => {}) });
    const ssh = executor([{ name: 'node01', server: host }], { limits: { sshMaxChannelsPerHost: 1 } });
    const first = new AbortController();
    const holding = ssh.run('node01', { program: 'sleep', args: ['60'] }, { signal: first.signal });
    holding.catch(() => {});
    while (host.stats.openChannels === 0) await sleep(10);
    const second = new AbortController();
    const queued = ssh.run('node01', { program: 'true', args: [] }, { signal: second.signal });
    second.abort(new Error('not needed any more'));
    await expect(queued).rejects.toThrow('not needed any more');
    expect(host.stats.channelsOpened).toBe(1);
    first.abort(new Error('done'));
    await expect(holding).rejects.toThrow('done');
  });
});

describe('host keys and authentication', () => {
  it('refuses an unknown host key, naming host:port and the presented fingerprint', async () => {
    const host = await server();
    const ssh = executor([{ name: 'node01', server: host }], { knownHosts: [] });
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_host_key_unknown');
    expect(error.message).toContain(`127.0.0.1:${host.port}`);
    expect(error.message).toContain(fingerprintOf(host.hostKeyBlob));
    expect(error.hint).toContain(`ssh-keyscan -p ${host.port} 127.0.0.1`);
    expect(host.stats.channelsOpened).toBe(0);
  });

  it('refuses a changed host key, naming both fingerprints', async () => {
    const host = await server();
    const other = ssh2.utils.parseKey(generateKeyPair().public);
    if (other instanceof Error || Array.isArray(other)) throw other;
    const oldBlob = other.getPublicSSH();
    const ssh = executor([{ name: 'node01', server: host }], {
      knownHosts: [`[127.0.0.1]:${host.port} ssh-ed25519 ${oldBlob.toString('base64')}`],
    });
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_host_key_changed');
    expect(error.message).toContain(fingerprintOf(oldBlob));
    expect(error.message).toContain(fingerprintOf(host.hostKeyBlob));
    expect(error.message).toContain('node01');
  });

  it('asks a host with several host keys for the one a hashed known_hosts line holds', async () => {
    // The server offers ed25519 first (what ssh2 prefers) and ECDSA too; known_hosts knows only
    // the ECDSA key, hashed as `ssh-keygen -H` writes it, under its [host]:port name.
    const ecdsa = generateKeyPair('ecdsa').private;
    const host = await server({ extraHostPrivateKeys: [ecdsa] });
    const ecdsaKey = ssh2.utils.parseKey(ecdsa);
    if (ecdsaKey instanceof Error || Array.isArray(ecdsaKey)) throw ecdsaKey;
    const hashedName = hashHostName(`[127.0.0.1]:${host.port}`, randomBytes(20));
    const line = `${hashedName} ${ecdsaKey.type} ${ecdsaKey.getPublicSSH().toString('base64')}`;
    const ssh = executor([{ name: 'node01', server: host }], { knownHosts: [line] });
    expect((await ssh.run('node01', { program: 'true', args: [] })).code).toBe(0);
    // The same line under another port's name does not vouch for this host.
    const otherPort = hashHostName(`[127.0.0.1]:${host.port + 1}`, randomBytes(20));
    const stranger = executor([{ name: 'node01', server: host }], {
      knownHosts: [line.replace(hashedName, otherPort)],
    });
    expect((await rejection(stranger.run('node01', { program: 'true', args: [] }))).code).toBe(
      'ssh_host_key_unknown',
    );
  });

  it('checks a pinned fingerprint instead of known_hosts for that host', async () => {
    const host = await server();
    const pinnedOk = executor([{ name: 'node01', server: host }], {
      knownHosts: [],
      ssh: { hostKeyFingerprints: { node01: fingerprintOf(host.hostKeyBlob) } },
    });
    expect((await pinnedOk.run('node01', { program: 'true', args: [] })).code).toBe(0);
    const wrongPin = `SHA256:${'A'.repeat(43)}`;
    const pinnedWrong = executor([{ name: 'node01', server: host }], {
      ssh: { hostKeyFingerprints: { node01: wrongPin } },
    });
    const error = await rejection(pinnedWrong.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_host_key_changed');
    expect(error.message).toContain(wrongPin);
  });

  it('names user@host when the key is not accepted', async () => {
    const host = await server();
    const ssh = executor([{ name: 'node01', server: host }], { privateKey: generateClientKey().privateKey });
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_auth_failed');
    expect(error.message).toContain('root@node01');
  });

  it('says the passphrase is wrong or missing without revealing it', async () => {
    const pair = generateKeyPair('ed25519', {
      passphrase: 'correct horse',
      cipher: 'aes256-ctr',
      rounds: 4,
    });
    const host = await startSshServer({ clientPublicKey: pair.public });
    cleanups.push(() => host.close());
    const file = knownHostsFile([host.knownHostsLine]);
    cleanups.push(() => file.remove());
    const config = sshTestConfig([{ name: 'node01', port: host.port }], { knownHostsPath: file.path });
    const key = Buffer.from(pair.private);
    const attempt = (passphrase: string | undefined) => {
      const ssh = createSshExecutor(
        config,
        { ...noSecrets, sshKeyPassphrase: passphrase },
        { privateKey: key },
      );
      cleanups.push(() => ssh.close());
      return ssh.run('node01', { program: 'true', args: [] });
    };
    const missing = await rejection(attempt(undefined));
    expect(missing.code).toBe('config_invalid');
    expect(missing.message).toContain('no passphrase');
    const wrong = await rejection(attempt('wrong guess'));
    expect(wrong.code).toBe('config_invalid');
    expect(wrong.message).toContain('wrong passphrase');
    expect(`${wrong.message}${wrong.hint}`).not.toContain('wrong guess');
    expect((await attempt('correct horse')).code).toBe(0);
  });
});

describe('unreachable hosts', () => {
  let silent: Server;
  let silentPort: number;
  beforeAll(async () => {
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => {
    silent.close();
  });

  it('names host and address:port when the connection is refused', async () => {
    const host = await server();
    const port = host.port;
    await host.close();
    const ssh = executor([{ name: 'node01', server: host }]);
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_connect_failed');
    expect(error.message).toContain(`node01 at 127.0.0.1:${port}`);
  });

  it('gives up on a port that accepts TCP but never speaks SSH', async () => {
    const fake = { port: silentPort, knownHostsLine: '' } as TestSshServer;
    const ssh = executor([{ name: 'node01', server: fake }], { limits: { sshConnectTimeoutMs: 300 } });
    const startedMs = Date.now();
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_connect_failed');
    expect(error.message).toContain(`127.0.0.1:${silentPort}`);
    // Generous for a busy machine, and still far below the 10 s default it replaced.
    expect(Date.now() - startedMs).toBeLessThan(5000);
  });
});

describe('jump host', () => {
  it('reaches the target through the jump host and verifies both host keys', async () => {
    const target = await server({ handler: () => ({ stdout: 'from target' }) });
    const jump = await server({ allowForwarding: true });
    const ssh = executor([{ name: 'node01', server: target }], {
      knownHosts: [target.knownHostsLine, jump.knownHostsLine],
      ssh: { jumpHost: { address: '127.0.0.1', port: jump.port } },
    });
    const results = await Promise.all(
      [1, 2, 3].map(() => ssh.run('node01', { program: 'hostname', args: [] })),
    );
    expect(results.map((r) => r.stdout)).toEqual(['from target', 'from target', 'from target']);
    expect(jump.stats.connections).toBe(1);
    expect(jump.stats.forwards).toBe(1);
    expect(target.stats.connections).toBe(1);
  });

  it('reconnects through the jump host after the jump connection broke', async () => {
    const target = await server({ handler: () => ({ stdout: 'from target' }) });
    const jump = await server({ allowForwarding: true });
    const ssh = executor([{ name: 'node01', server: target }], {
      knownHosts: [target.knownHostsLine, jump.knownHostsLine],
      ssh: { jumpHost: { address: '127.0.0.1', port: jump.port } },
    });
    expect((await ssh.run('node01', { program: 'hostname', args: [] })).stdout).toBe('from target');
    jump.dropConnections();
    await sleep(100);
    expect((await ssh.run('node01', { program: 'hostname', args: [] })).stdout).toBe('from target');
    expect(jump.stats.connections).toBe(2);
    expect(jump.stats.forwards).toBe(2);
  });

  it('refuses a jump host whose key is unknown', async () => {
    const target = await server();
    const jump = await server({ allowForwarding: true });
    const ssh = executor([{ name: 'node01', server: target }], {
      knownHosts: [target.knownHostsLine],
      ssh: { jumpHost: { address: '127.0.0.1', port: jump.port } },
    });
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_host_key_unknown');
    expect(error.message).toContain(`127.0.0.1:${jump.port}`);
    expect(target.stats.connections).toBe(0);
  });
});

/** Quick commands one after another, so the host's pace reaches its configured maximum. */
async function warmUp(ssh: RemoteExecutor): Promise<void> {
  for (let i = 0; i < 5; i += 1) await ssh.run('node01', { program: 'true', args: [] });
}
