import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { generateClientKey, startSshServer, type TestSshServer } from '../support/ssh-server.js';
import { hasSystemBinary } from '../support/system.js';
import { knownHostsFile, noSecrets, rejection, sshTestConfig } from './fixtures.js';

describe.skipIf(!hasSystemBinary('/usr/bin/ssh-agent'))('authentication through ssh-agent', () => {
  const key = generateClientKey();
  const dir = mkdtempSync(join(tmpdir(), 'livemig-agent-'));
  const socket = join(dir, 'agent.sock');
  let agent: ChildProcess;
  let server: TestSshServer;
  let known: ReturnType<typeof knownHostsFile>;

  beforeAll(async () => {
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(socket); i += 1) await sleep(20);
    writeFileSync(join(dir, 'id'), key.privateKey, { mode: 0o600 });
    execFileSync('ssh-add', ['-q', join(dir, 'id')], {
      env: { ...process.env, SSH_AUTH_SOCK: socket },
      stdio: 'ignore',
    });
    server = await startSshServer({ clientPublicKey: key.publicKey });
    known = knownHostsFile([server.knownHostsLine]);
  });
  afterAll(async () => {
    await server?.close();
    known?.remove();
    agent?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const agentConfig = () =>
    sshTestConfig([{ name: 'node01', port: server.port }], {
      privateKeyPath: undefined,
      useAgent: true,
      knownHostsPath: known.path,
    });

  it('logs in with the key the agent holds', async () => {
    const ssh = createSshExecutor(agentConfig(), noSecrets, { agentSocket: socket });
    try {
      expect((await ssh.run('node01', { program: 'true', args: [] })).code).toBe(0);
    } finally {
      await ssh.close();
    }
  });

  it('says SSH_AUTH_SOCK is missing when useAgent is set without an agent', async () => {
    const ssh = createSshExecutor(agentConfig(), noSecrets, { agentSocket: '' });
    const error = await rejection(ssh.run('node01', { program: 'true', args: [] }));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('SSH_AUTH_SOCK');
    await ssh.close();
  });
});
