/**
 * SSH benchmarks against in-process ssh2 servers on loopback: command throughput over pooled
 * connections to one host, and the time to run one command on each of 100 and 1000 hosts from a
 * cold pool (every host needs a full key exchange and public-key authentication). The servers
 * run in a worker thread of this process (see ssh/servers-worker.ts) so that the client, which
 * is what livemig ships, has a core of its own.
 */
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { knownHostsFile, noSecrets, sshTestConfig } from '../../test/ssh/fixtures.js';
import { generateClientKey } from '../../test/support/ssh-server.js';
import type { ServersReady, ServersWorkerData } from './ssh/servers-worker.js';
import type { BenchRow } from './types.js';

const pooledCommands = 2000;
const hostCount = 1000;

/** Runs the SSH benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const clientKey = generateClientKey();
  const servers = startServersWorker({ count: hostCount, clientPublicKey: clientKey.publicKey });
  const [ready] = (await once(servers, 'message')) as [ServersReady];
  const known = knownHostsFile(ready.knownHostsLines);
  const executorFor = (count: number) =>
    createSshExecutor(
      sshTestConfig(
        ready.ports.slice(0, count).map((port, i) => ({ name: `node${i}`, port })),
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
    const pooledCpuBefore = process.cpuUsage();
    await Promise.all(Array.from({ length: pooledCommands }, () => pooled.run('node0', command)));
    const commandsPerSecond = pooledCommands / ((performance.now() - pooledStart) / 1000);
    const pooledCpu = process.cpuUsage(pooledCpuBefore);
    const cpuMsPerCommand = (pooledCpu.user + pooledCpu.system) / 1000 / pooledCommands;
    await pooled.close();

    const fanOut = async (hosts: number) => {
      const ssh = executorFor(hosts);
      const start = performance.now();
      const cpuBefore = process.cpuUsage();
      await Promise.all(ready.ports.slice(0, hosts).map((_, i) => ssh.run(`node${i}`, command)));
      const elapsedMs = performance.now() - start;
      const cpu = process.cpuUsage(cpuBefore);
      await ssh.close();
      // CPU time of the whole process (client and server threads) per host: unlike wall time it
      // does not grow when other processes compete for the cores.
      return { elapsedMs, cpuMsPerHost: (cpu.user + cpu.system) / 1000 / hosts };
    };
    const fanOut100 = await fanOut(100);
    const fanOut1000 = await fanOut(hostCount);
    const fanOut100Ms = fanOut100.elapsedMs;
    const fanOut1000Ms = fanOut1000.elapsedMs;
    return [
      {
        name: `pooled commands to one host (${pooledCommands} x true, default limits)`,
        value: Math.round(commandsPerSecond),
        unit: 'commands/s',
      },
      {
        name: 'CPU per pooled command (client + server)',
        value: Number(cpuMsPerCommand.toFixed(3)),
        unit: 'ms',
      },
      { name: 'one command on 100 hosts, cold pool', value: Math.round(fanOut100Ms), unit: 'ms' },
      {
        name: `one command on ${hostCount} hosts, cold pool`,
        value: Math.round(fanOut1000Ms),
        unit: 'ms',
        target: '< 3000 ms',
        ok: fanOut1000Ms < 3000,
      },
      {
        name: `CPU per host of the ${hostCount}-host fan-out (client + server handshake and command)`,
        value: Number(fanOut1000.cpuMsPerHost.toFixed(2)),
        unit: 'ms',
      },
    ];
  } finally {
    servers.postMessage('close');
    await once(servers, 'message');
    await servers.terminate();
    known.remove();
  }
}

/** The worker is TypeScript: it registers tsx itself, since loader hooks do not reach workers. */
function startServersWorker(data: ServersWorkerData): Worker {
  const url = new URL('./ssh/servers-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(JSON.stringify(row));
}
