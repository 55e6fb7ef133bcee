/**
 * SSH fan-out, livemig against OpenSSH: `virsh capabilities` on every hypervisor of a lab of
 * 1000 hosts that runs in its own process (`livemig lab`), asked
 * - by `livemig baseline --json` (its own process: the CLI as a user runs it), and
 * - by OpenSSH's `ssh` client, 32 at a time through `xargs -P 32` (how pdsh fans out).
 * Wall time and client CPU (user + system of the client's processes, from this process's
 * children times) per host; the ratios say how far ahead livemig stays.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { BenchRow } from './types.js';

// LIVEMIG_BENCH_HOSTS runs a smaller comparison (a quick check of the bench itself).
const hosts = Number(process.env.LIVEMIG_BENCH_HOSTS ?? 1000);
const openSshParallel = 32;
const wallTargetMs = 3000;
const livemigBin = join(import.meta.dirname, '..', '..', 'bin', 'livemig.js');

/** Runs the fan-out comparison; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'livemig-bench-fanout-'));
  const lab = spawn(process.execPath, [livemigBin, 'lab', '--hosts', String(hosts), '--out', dir, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await labReady(lab);
    const ports = await hypervisorPorts(join(dir, 'livemig.yml'));
    const config = join(dir, 'livemig.yml');
    // What starting the CLI alone costs (tsx, commander): part of every livemig row below.
    const startup = await measureChild(process.execPath, [livemigBin, '--help']);
    const labCpuBefore = await processCpuMs(lab.pid!);
    const livemig = await measureChild(process.execPath, [
      livemigBin,
      'baseline',
      '--config',
      config,
      '--json',
    ]);
    const labCpuMs = (await processCpuMs(lab.pid!)) - labCpuBefore;
    const answered = JSON.parse(livemig.stdout) as { hostsAsked?: number; unreachable?: unknown[] };
    if (answered.hostsAsked !== hosts || (answered.unreachable?.length ?? 0) > 0) {
      throw new Error(`livemig baseline did not reach every host: ${livemig.stdout.slice(0, 300)}`);
    }
    const sshArgs = [
      '-F',
      '/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      '-i',
      join(dir, 'id_ed25519'),
      '-l',
      'root',
    ];
    const script = `xargs -P ${openSshParallel} -I PORT ssh ${sshArgs.join(' ')} -p PORT 127.0.0.1 virsh capabilities > /dev/null`;
    const openSsh = await measureChild('sh', ['-c', script], `${ports.join('\n')}\n`);
    if (openSsh.code !== 0) throw new Error(`the OpenSSH fan-out failed (exit ${openSsh.code})`);
    return [
      {
        name: `livemig baseline, ${hosts} lab hosts (lab in its own process), wall`,
        value: Math.round(livemig.wallMs),
        unit: 'ms',
        target: `< ${wallTargetMs} ms`,
        ok: livemig.wallMs < wallTargetMs,
      },
      { name: 'livemig baseline, client CPU per host', value: round(livemig.cpuMs / hosts), unit: 'ms CPU' },
      {
        // The lab answers every handshake on one thread: with 2 cores it, not livemig, sets the pace.
        name: 'lab process (server side of livemig baseline), CPU per host',
        value: round(labCpuMs / hosts),
        unit: 'ms CPU',
      },
      {
        name: 'livemig CLI start alone (livemig --help), wall / CPU',
        value: Math.round(startup.wallMs),
        unit: `ms / ${Math.round(startup.cpuMs)} ms CPU`,
      },
      {
        name: `OpenSSH ssh via xargs -P ${openSshParallel}, ${hosts} lab hosts, wall`,
        value: Math.round(openSsh.wallMs),
        unit: 'ms',
      },
      {
        name: `OpenSSH ssh via xargs -P ${openSshParallel}, client CPU per host`,
        value: round(openSsh.cpuMs / hosts),
        unit: 'ms CPU',
      },
      {
        name: 'fan-out wall: OpenSSH / livemig',
        value: round(openSsh.wallMs / livemig.wallMs),
        unit: 'x',
        target: '> 1x',
        ok: openSsh.wallMs > livemig.wallMs,
      },
      {
        name: 'fan-out client CPU: OpenSSH / livemig',
        value: round(openSsh.cpuMs / livemig.cpuMs),
        unit: 'x',
        target: '> 1x',
        ok: openSsh.cpuMs > livemig.cpuMs,
      },
    ];
  } finally {
    if (lab.exitCode === null) {
      lab.kill('SIGTERM');
      await once(lab, 'exit');
    }
    await rm(dir, { recursive: true, force: true });
  }
}

/** `livemig lab --json` prints its summary once every host listens. */
async function labReady(lab: ChildProcess): Promise<void> {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    lab.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.trimEnd().endsWith('}')) resolve();
    });
    lab.once('exit', (code) => reject(new Error(`livemig lab exited (${code}) before it was ready`)));
  });
}

async function hypervisorPorts(configPath: string): Promise<number[]> {
  const config = parse(await readFile(configPath, 'utf8')) as {
    cluster: { hypervisors: Array<{ port?: number }> };
  };
  return config.cluster.hypervisors.map((hypervisor) => hypervisor.port ?? 22);
}

/**
 * Runs a child to its end: wall time, and its CPU time (with every process it waited for), read
 * from this process's cumulative children times in /proc/self/stat.
 */
async function measureChild(
  command: string,
  args: string[],
  stdin?: string,
): Promise<{ wallMs: number; cpuMs: number; code: number | null; stdout: string }> {
  const cpuBefore = await childrenCpuMs();
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(stdin ?? '');
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallMs = performance.now() - started;
  return { wallMs, cpuMs: (await childrenCpuMs()) - cpuBefore, code, stdout };
}

/** cutime + cstime of /proc/self/stat, in ms: the CPU of every child this process waited for. */
async function childrenCpuMs(): Promise<number> {
  const fields = await statFields('self');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** utime + stime of a running process, in ms. */
async function processCpuMs(pid: number): Promise<number> {
  const fields = await statFields(String(pid));
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The fields of /proc/PID/stat after the command name (utime is field 14: index 11 here). */
async function statFields(pid: string): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Clock ticks are 10 ms on Linux (CLK_TCK 100).
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
