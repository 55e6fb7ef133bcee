/**
 * SSH benchmarks against in-process ssh2 servers on loopback: command throughput over pooled
 * connections to one host, and the time to run one command on each of 100 and 1000 hosts from a
 * cold pool (every host needs a full key exchange and authentication). Client and servers share
 * this process, so each handshake costs both sides' CPU here.
 */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { knownHostsFile, noSecrets, sshTestConfig } from '../../test/ssh/fixtures.js';
import {
  generateClientKey,
  generateHostKey,
  startSshServer,
  type TestSshServer,
} from '../../test/support/ssh-server.js';
import type { BenchRow } from './types.js';

const pooledCommands = 2000;

/** Runs the SSH benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const clientKey = generateClientKey();
  // One host key for all servers: generating keys is not what is measured.
  const hostPrivateKey = generateHostKey();
  const servers: TestSshServer[] = [];
  for (let i = 0; i < 1000; i += 1) {
    servers.push(await startSshServer({ clientPublicKey: clientKey.publicKey, hostPrivateKey }));
  }
  const known = knownHostsFile(servers.map((s) => s.knownHostsLine));
  const executorFor = (count: number) =>
    createSshExecutor(
      sshTestConfig(
        servers.slice(0, count).map((s, i) => ({ name: `node${i}`, port: s.port })),
        { knownHostsPath: known.path },
      ),
      noSecrets,
      { privateKey: clientKey.privateKey },
    );
  const command = { program: 'true', args: [] };
  try {
    const pooled = executorFor(1);
    await pooled.run('node0', command);
    const pooledStart = performance.now();
    await Promise.all(Array.from({ length: pooledCommands }, () => pooled.run('node0', command)));
    const commandsPerSecond = pooledCommands / ((performance.now() - pooledStart) / 1000);
    await pooled.close();

    const fanOut = async (hosts: number) => {
      const ssh = executorFor(hosts);
      const start = performance.now();
      // Host node0 is the controller and also a hypervisor when hosts === 1; names are distinct here.
      await Promise.all(servers.slice(0, hosts).map((_, i) => ssh.run(`node${i}`, command)));
      const elapsedMs = performance.now() - start;
      await ssh.close();
      return elapsedMs;
    };
    const fanOut100Ms = await fanOut(100);
    const fanOut1000Ms = await fanOut(1000);
    return [
      {
        name: `pooled commands to one host (${pooledCommands} x true)`,
        value: Math.round(commandsPerSecond),
        unit: 'commands/s',
      },
      { name: 'one command on 100 hosts, cold pool', value: Math.round(fanOut100Ms), unit: 'ms' },
      {
        name: 'one command on 1000 hosts, cold pool',
        value: Math.round(fanOut1000Ms),
        unit: 'ms',
        target: '< 3000 ms',
        ok: fanOut1000Ms < 3000,
      },
    ];
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    known.remove();
    rmSync(known.path, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(JSON.stringify(row));
}
