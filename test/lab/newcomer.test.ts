import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilForegroundReady } from '../support/foreground.js';
import { hasSystemBinary } from '../support/system.js';

const run = promisify(execFile);
const ssh = '/usr/bin/ssh';

/**
 * The lab issue's "done when": `livemig lab --out DIR` with no other flag, then OpenSSH's own
 * client with only the files the lab wrote, into node05 (`virsh capabilities`) and control01
 * (`nova list`), sees the seed's world.
 */
describe.skipIf(!hasSystemBinary(ssh))("a newcomer's first lab session with OpenSSH", () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livemig-newcomer-'));
    child = spawn(process.execPath, ['bin/livemig.js', 'lab', '--out', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    await untilForegroundReady(child, () => output);
  }, 60_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  /** The port `livemig lab` printed for `host`. */
  const portOf = (host: string): string => {
    const port = new RegExp(`^ {2}${host} +127\\.0\\.0\\.1:(\\d+)$`, 'm').exec(output)?.[1];
    if (port === undefined) throw new Error(`livemig lab printed no port for ${host}:\n${output}`);
    return port;
  };

  const openssh = async (host: string, command: string): Promise<string> => {
    const args = [
      ...['-F', '/dev/null', '-n', '-i', join(dir, 'id_ed25519')],
      ...['-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes'],
      ...['-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes'],
      ...['-p', portOf(host), 'root@127.0.0.1', command],
    ];
    const { stdout } = await run(ssh, args, { env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 });
    return stdout;
  };

  it('writes livemig.yml, known_hosts and id_ed25519 and lists the seed hosts', () => {
    expect(output).toContain('livemig lab: 11 hosts on 127.0.0.1 (nova icehouse-patched)');
    expect(output).toContain(`config:  ${join(dir, 'livemig.yml')}`);
    for (const host of ['control01', 'node01', 'node05', 'node10']) expect(portOf(host)).toMatch(/^\d+$/);
  });

  it("ssh into node05: virsh capabilities shows the E5-2670's SandyBridge", async () => {
    const capabilities = await openssh('node05', 'virsh capabilities');
    expect(capabilities).toMatch(/^<capabilities>\n/);
    expect(capabilities).toContain('<model>SandyBridge</model>');
    expect(capabilities).toContain('<vendor>Intel</vendor>');
  });

  it('ssh into control01: nova list shows dstest and db01 among the servers', async () => {
    const servers = await openssh('control01', 'nova list');
    expect(servers).toMatch(/^\+-+\+-+\+/);
    expect(servers).toMatch(/^\| ID +\| Name +\| Status +\| Task State +\| Power State +\| Networks +\|$/m);
    for (const name of ['dstest', 'db01', 'web01']) {
      expect(servers).toMatch(new RegExp(`^\\| [0-9a-f-]{36} \\| ${name} +\\| ACTIVE +\\|`, 'm'));
    }
  });
});
