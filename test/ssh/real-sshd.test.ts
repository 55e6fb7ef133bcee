import { randomBytes } from 'node:crypto';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { hashHostName } from '../../src/ssh/known-hosts.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { type RealSshd, startRealSshd } from '../support/real-sshd.js';
import { generateHostKey } from '../support/ssh-server.js';
import { hasSystemBinary } from '../support/system.js';
import { knownHostsFile, noSecrets, rejection, sshTestConfig } from './fixtures.js';

describe.skipIf(!hasSystemBinary('/usr/sbin/sshd'))('against a real OpenSSH sshd', () => {
  let sshd: RealSshd;
  const toClose: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    sshd = await startRealSshd({ maxSessions: 10 });
  });
  afterAll(async () => {
    for (const close of toClose.splice(0).reverse()) await close();
    await sshd?.stop();
  });

  function executor(
    knownHosts: string[],
    limits: Partial<Config['limits']> = {},
    server: RealSshd = sshd,
  ): RemoteExecutor {
    const file = knownHostsFile(knownHosts);
    const config = sshTestConfig(
      [{ name: 'node01', port: server.port }],
      { user: server.user, knownHostsPath: file.path },
      limits,
    );
    const ssh = createSshExecutor(config, noSecrets, { privateKey: server.clientPrivateKey });
    toClose.push(
      () => file.remove(),
      () => ssh.close(),
    );
    return ssh;
  }

  it('logs in with the key and runs echo with a quoted argument', async () => {
    const ssh = executor([sshd.knownHostsLine]);
    const result = await ssh.run('node01', { program: 'echo', args: ["it's $(not) `run`"] });
    expect(result).toMatchObject({ code: 0, signal: null, stdout: "it's $(not) `run`\n", stderr: '' });
  });

  it('returns exit codes, stderr and stdin round trips intact', async () => {
    const ssh = executor([sshd.knownHostsLine]);
    const failed = await ssh.run('node01', { program: 'sh', args: ['-c', 'echo oops >&2; exit 3'] });
    expect(failed).toMatchObject({ code: 3, stdout: '', stderr: 'oops\n' });
    const echoed = await ssh.run('node01', { program: 'cat', args: [], stdin: 'line one\nline two\n' });
    expect(echoed.stdout).toBe('line one\nline two\n');
  });

  it('refuses the real host when known_hosts holds another key, naming both fingerprints', async () => {
    const [hostField] = sshd.knownHostsLine.split(' ');
    const impostor = `${hostField} ssh-ed25519 ${publicBlobOf(generateHostKey())}`;
    const ssh = executor([impostor]);
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_host_key_changed');
    expect(error.message.match(/SHA256:[A-Za-z0-9+/]{43}/g)).toHaveLength(2);
  });

  it('connects when known_hosts holds only its ECDSA key, hashed, although sshd offers ed25519 too', async () => {
    const [hostField, keyType, blob] = sshd.ecdsaKnownHostsLine.split(' ');
    const hashed = `${hashHostName(hostField!, randomBytes(20))} ${keyType} ${blob}`;
    const ssh = executor([hashed]);
    expect(await ssh.run('node01', { program: 'echo', args: ['ok'] })).toMatchObject({
      code: 0,
      stdout: 'ok\n',
    });
  });

  it('refuses a host that is not in known_hosts', async () => {
    const ssh = executor([]);
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('ssh_host_key_unknown');
    expect(error.message).toContain(`127.0.0.1:${sshd.port}`);
  });

  it('runs 50 concurrent commands on a host whose login shell takes a second to start, although sshd allows 10 sessions per connection', async () => {
    // Real hosts have slow shells (a ~/.bashrc that runs `pyenv init`): sessions stay open
    // longer, so more channels are refused while the pool learns the server's limit.
    const slowShell = await startRealSshd({ maxSessions: 10, loginShellStartMs: 1000 });
    toClose.push(() => slowShell.stop());
    // Asking for 20 channels per connection makes sshd refuse every 11th: the pool must learn.
    const ssh = executor(
      [slowShell.knownHostsLine],
      {
        sshMaxChannelsPerHost: 50,
        sshMaxChannelsPerConnection: 20,
      },
      slowShell,
    );
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ssh.run('node01', { program: 'sh', args: ['-c', `sleep 0.2; echo ${i}`] }),
      ),
    );
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => `${i}\n`));
  }, 180_000);

  it('gives up on a command that would run for a minute after a 500 ms timeout', async () => {
    const ssh = executor([sshd.knownHostsLine]);
    const startedMs = performance.now();
    const error = await rejection(ssh.run('node01', { program: 'sleep', args: ['60'] }, { timeoutMs: 500 }));
    expect(error.code).toBe('ssh_timeout');
    expect(error.message).toContain('sleep on node01');
    // Generous on purpose (a busy machine delays the handshake): what matters is that the
    // command was abandoned long before it would have ended on its own.
    expect(performance.now() - startedMs).toBeLessThan(30_000);
  });
});

/** The base64 public blob of a private key, as a known_hosts line holds it. */
function publicBlobOf(privateKey: string): string {
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('unparsable test key');
  return parsed.getPublicSSH().toString('base64');
}
