/**
 * Slash-command ack latency with the bot under load, every part in a process of its own: the lab
 * (`livemig lab`), the Slack emulator (ack/emulator-process.ts), the bot (`livemig serve`, once in
 * HTTP mode and once in Socket Mode) and a load generator (ack/load-process.ts) that sends 100
 * `/migrate` commands at once, half `status` and half `check dstest node10` (which fan out over
 * SSH). Slack shows the user an error when a command is not acknowledged within 3 s, counted from
 * its delivery to the app's ack: the target is that time's p99 under 100 ms, as the emulator
 * measures it. The round trip the load generator sees is printed too: it adds the emulator's own
 * queue (one Node thread, on the same cores, that also serves the bot's Web API calls). So is the
 * floor: the same burst against a Bolt app that only acks (ack/ack-only-app-process.ts). The bot runs with --cpu-prof: the rows after the latencies say what each
 * of its threads (the main thread, then the Slack receiver's) was busy with while the acks waited
 * (ack/cpu-profile.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTokens } from '../../src/demo/demo-workspace.js';
import { freePort } from '../../test/support/free-port.js';
import { summariseCpuProfile } from './ack/cpu-profile.js';
import { type BenchRow, percentile } from './types.js';

const concurrentCommands = 100;
/** The secret the emulator signs HTTP deliveries with; the bot gets it as SLACK_SIGNING_SECRET. */
const signingSecret = 'livemig-bench-signing-secret';
const targetP99Ms = 100;
const root = join(import.meta.dirname, '..', '..');
const livemigBin = join(root, 'bin', 'livemig.js');
const runTs = join(root, 'bin', 'run-ts.js');

/** Runs the ack benchmark in HTTP mode, then Socket Mode; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'livemig-bench-ack-'));
  const children: ChildProcess[] = [];
  try {
    const lab = start(children, process.execPath, [livemigBin, 'lab', '--out', dir, '--json']);
    await firstLine(lab);
    const rows: BenchRow[] = [];
    for (const mode of ['http', 'socket'] as const) rows.push(...(await measureMode(mode, dir, children)));
    return rows;
  } finally {
    for (const child of children.reverse()) await stop(child);
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureMode(
  mode: 'http' | 'socket',
  dir: string,
  children: ChildProcess[],
): Promise<BenchRow[]> {
  const label = mode === 'http' ? 'HTTP mode' : 'Socket Mode';
  const botPort = await freePort();
  const emulator = start(children, process.execPath, [
    runTs,
    join(root, 'scripts', 'bench', 'ack', 'emulator-process.ts'),
    mode === 'socket' ? 'socket' : `http://127.0.0.1:${botPort}/slack/events`,
    signingSecret,
  ]);
  const { apiUrl, baseUrl } = JSON.parse(await firstLine(emulator)) as { apiUrl: string; baseUrl: string };
  const modeEnv =
    mode === 'socket'
      ? { SLACK_APP_TOKEN: demoTokens.appToken }
      : { SLACK_SIGNING_SECRET: signingSecret, PORT: String(botPort) };
  const slackEnv = {
    ...process.env,
    SLACK_BOT_TOKEN: demoTokens.botToken,
    SLACK_API_URL: apiUrl,
    ...modeEnv,
  };
  const floor = await measureFloor(mode, botPort, baseUrl, slackEnv, children);
  const profileDir = join(dir, `profile-${mode}`);
  await mkdir(profileDir);
  const bot = start(
    children,
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, livemigBin, 'serve', '--config', join(dir, 'livemig.yml')],
    slackEnv,
  );
  try {
    // Ready once a command is acknowledged; a few more warm the bot up as a running bot would be.
    await untilAcknowledged(baseUrl);
    await runLoad(baseUrl, 10);
    const loadStartedUs = microsNow();
    const cpuBefore = { bot: await processCpuMs(bot.pid!), emulator: await processCpuMs(emulator.pid!) };
    const latencies = await runLoad(baseUrl, concurrentCommands);
    const loadEndedUs = microsNow();
    const botCpuMs = (await processCpuMs(bot.pid!)) - cpuBefore.bot;
    const emulatorCpuMs = (await processCpuMs(emulator.pid!)) - cpuBefore.emulator;
    const windowMs = (loadEndedUs - loadStartedUs) / 1000;
    await stop(bot);
    const profiles = await threadProfiles(profileDir);
    const busy = await Promise.all(
      profiles.map(async ({ thread, path }) => ({
        thread,
        shares: await summariseCpuProfile(path, loadStartedUs, loadEndedUs),
      })),
    );
    const p99 = percentile(latencies.ackMs, 99);
    return [
      {
        name: `ack p50, ${concurrentCommands} concurrent /migrate (half check), ${label}: delivery → ack`,
        value: Math.round(percentile(latencies.ackMs, 50)),
        unit: 'ms',
      },
      {
        name: `ack p99, ${concurrentCommands} concurrent /migrate (half check), ${label}: delivery → ack`,
        value: Math.round(p99),
        unit: 'ms',
        target: `< ${targetP99Ms} ms`,
        ok: p99 < targetP99Ms,
      },
      {
        name: `  the same through the emulator, ${label}: load generator's send → emulator's reply, p50`,
        value: Math.round(percentile(latencies.roundTripMs, 50)),
        unit: 'ms',
      },
      {
        name: `  the same through the emulator, ${label}: load generator's send → emulator's reply, p99`,
        value: Math.round(percentile(latencies.roundTripMs, 99)),
        unit: 'ms',
      },
      {
        name: `  floor: the same burst to a Bolt app that only acks, ${label}: delivery → ack, p50`,
        value: Math.round(percentile(floor.ackMs, 50)),
        unit: 'ms',
      },
      {
        name: `  floor: the same burst to a Bolt app that only acks, ${label}: delivery → ack, p99`,
        value: Math.round(percentile(floor.ackMs, 99)),
        unit: 'ms',
      },
      {
        name: `  floor: the same burst to a Bolt app that only acks, ${label}: through the emulator, p99`,
        value: Math.round(percentile(floor.roundTripMs, 99)),
        unit: 'ms',
      },
      {
        name: `from the burst to its last ack, ${label}: wall`,
        value: Math.round(windowMs),
        unit: 'ms',
      },
      {
        name: `  CPU of the bot process (all threads) in that time, ${label}`,
        value: Math.round(botCpuMs),
        unit: 'ms CPU',
      },
      {
        name: `  CPU of the emulator process (delivers, serves the bot's Web API calls), ${label}`,
        value: Math.round(emulatorCpuMs),
        unit: 'ms CPU',
      },
      ...busy.flatMap(({ thread, shares }) =>
        shares.map((share) => ({
          name: `  bot ${thread} in that time (--cpu-prof), ${label}: ${share.category}`,
          value: Math.round(share.ms),
          unit: 'ms',
        })),
      ),
    ];
  } finally {
    await stop(bot);
    await stop(emulator);
  }
}

/**
 * The same burst against a Bolt app that acknowledges and does nothing else
 * (ack/ack-only-app-process.ts), on the bot's port or Socket Mode connection: what the emulator,
 * the load generator and Bolt's receiver alone take on this machine.
 */
async function measureFloor(
  mode: 'http' | 'socket',
  port: number,
  baseUrl: string,
  env: NodeJS.ProcessEnv,
  children: ChildProcess[],
): Promise<LoadLatencies> {
  const app = start(
    children,
    process.execPath,
    [runTs, join(root, 'scripts', 'bench', 'ack', 'ack-only-app-process.ts'), mode, String(port)],
    env,
  );
  try {
    await firstLine(app);
    await untilAcknowledged(baseUrl);
    await runLoad(baseUrl, 10);
    return await runLoad(baseUrl, concurrentCommands);
  } finally {
    await stop(app);
  }
}

/** Each command's latency, in ms: see ack/load-process.ts. */
interface LoadLatencies {
  ackMs: number[];
  roundTripMs: number[];
}

async function runLoad(baseUrl: string, count: number): Promise<LoadLatencies> {
  const load = spawn(
    process.execPath,
    [
      runTs,
      join(root, 'scripts', 'bench', 'ack', 'load-process.ts'),
      baseUrl,
      String(count),
      'dstest',
      'node10',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  load.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const [code] = (await once(load, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load generator failed (exit ${code})`);
  return JSON.parse(output) as LoadLatencies;
}

async function untilAcknowledged(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reply = await fetch(`${baseUrl}/web/slash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice', channel: 'ops', text: '/migrate help' }),
    }).then((response) => response.json() as Promise<{ ok: boolean }>);
    if (reply.ok) return;
    if (Date.now() > deadline) throw new Error('the bot did not acknowledge /migrate help within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function start(children: ChildProcess[], command: string, args: string[], env = process.env): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  children.push(child);
  return child;
}

/** The first line a child prints (its "ready" line). */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const end = output.indexOf('\n');
      if (end >= 0) resolve(output.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited (${code})`)));
  });
}

/** SIGINT (livemig's own clean stop, which writes the CPU profile), then waits for the exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  // The checks the burst started finish before livemig serve exits: that can take a while.
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  if (signal === 'SIGKILL') process.stderr.write(`${child.spawnargs.join(' ')}: killed after 120 s\n`);
  else if (code !== 0) process.stderr.write(`${child.spawnargs.join(' ')}: exit ${code}\n`);
}

/**
 * The profiles --cpu-prof wrote, one per thread (CPU.DATE.TIME.PID.THREAD.SEQ.cpuprofile): the
 * main thread's (thread 0) first, then the worker threads' (the Slack receiver's among them).
 */
async function threadProfiles(dir: string): Promise<Array<{ thread: string; path: string }>> {
  const profiles = (await readdir(dir))
    .map((name) => ({ name, threadId: Number(name.split('.')[4]) }))
    .sort((a, b) => a.threadId - b.threadId)
    .map(({ name, threadId }) => ({
      thread: threadId === 0 ? 'main thread' : `worker thread ${threadId}`,
      path: join(dir, name),
    }));
  if (profiles[0]?.thread !== 'main thread')
    throw new Error(`no CPU profile of the main thread in ${dir}: did the bot exit cleanly?`);
  return profiles;
}

/** utime + stime of a running process from /proc/PID/stat, in ms (clock ticks of 10 ms). */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CLOCK_MONOTONIC in µs: the clock V8 stamps CPU profile samples with. */
function microsNow(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
