/**
 * Slash-command ack latency with the bot under load, every part in a process of its own: the lab
 * (`livemig lab`), the Slack emulator (ack/emulator-process.ts), the bot (`livemig serve`, once in
 * HTTP mode and once in Socket Mode) and, in HTTP mode, a load generator (ack/load-process.ts).
 * A burst is 100 `/migrate` commands at once, half `status` and half `check dstest node10` (which
 * fan out over SSH). Slack shows the user an error when a command is not acknowledged within
 * 3 s, counted from its delivery to the app's ack: the target is that time's p99 under 100 ms.
 *
 * - HTTP mode: the load generator plays Slack. It signs the commands (prepared by the emulator, so
 *   their response_urls are live) and posts them to the bot itself, timing each from its write
 *   to the bot's answer. A second burst opens a connection per command inside the burst.
 * - Socket Mode: the bot's connection ends in the emulator, so the emulator sends the burst as
 *   Slack would, and times each envelope to its ack.
 *
 * A second burst follows at once, while the first one's checks run (in HTTP mode with a new
 * connection per command, opened inside the burst). The floor is the same burst against a Bolt app that only acks (ack/ack-only-app-process.ts).
 * The bot runs with --cpu-prof: the rows after the latencies say what each of its threads (the
 * main thread, then the Slack receiver's) was busy with while the acks waited (ack/cpu-profile.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTokens } from '../../src/demo/demo-workspace.js';
import { freePort } from '../../test/support/free-port.js';
import { summariseCpuProfile } from './ack/cpu-profile.js';
import type { LoadLatencies } from './ack/load-process.js';
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
    await new ChildLines(lab).next();
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
  const botUrl = `http://127.0.0.1:${botPort}/slack/events`;
  const emulator = new ChildLines(
    start(children, process.execPath, [
      runTs,
      join(root, 'scripts', 'bench', 'ack', 'emulator-process.ts'),
      mode === 'socket' ? 'socket' : botUrl,
      signingSecret,
    ]),
  );
  const { apiUrl, baseUrl } = JSON.parse(await emulator.next()) as { apiUrl: string; baseUrl: string };
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
  const burst: Burst = mode === 'http' ? { via: 'direct', botUrl, emulator } : { via: 'emulator', emulator };
  const floor = await measureFloor(mode, botPort, baseUrl, burst, slackEnv, children);
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
    await runLoad(burst, 10);
    const loadStartedUs = microsNow();
    const cpuBefore = {
      bot: await processCpuMs(bot.pid!),
      emulator: await processCpuMs(emulator.child.pid!),
    };
    const latencies = await runLoad(burst, concurrentCommands);
    const loadEndedUs = microsNow();
    const botCpuMs = (await processCpuMs(bot.pid!)) - cpuBefore.bot;
    const emulatorCpuMs = (await processCpuMs(emulator.child.pid!)) - cpuBefore.emulator;
    const windowMs = (loadEndedUs - loadStartedUs) / 1000;
    // A second burst at once, while the first one's 50 checks fan out on the bot's main thread. In
    // HTTP mode each of its commands opens a connection inside the burst, and that set-up counts:
    // what a Slack that does not keep connections open would see.
    const again = await runLoad(
      burst.via === 'direct' ? { ...burst, fresh: true } : burst,
      concurrentCommands,
    );
    await stop(bot);
    const profiles = await threadProfiles(profileDir);
    const busy = await Promise.all(
      profiles.map(async ({ thread, path }) => ({
        thread,
        shares: await summariseCpuProfile(path, loadStartedUs, loadEndedUs),
      })),
    );
    const p99 = percentile(latencies.ackMs, 99);
    const measured =
      mode === 'http' ? "load generator's write → bot's ack" : "emulator's delivery → bot's ack";
    const rows: BenchRow[] = [
      {
        name: `ack p50, ${concurrentCommands} concurrent /migrate (half check), ${label}: ${measured}`,
        value: Math.round(percentile(latencies.ackMs, 50)),
        unit: 'ms',
      },
      {
        name: `ack p99, ${concurrentCommands} concurrent /migrate (half check), ${label}: ${measured}`,
        value: Math.round(p99),
        unit: 'ms',
        target: `< ${targetP99Ms} ms`,
        ok: p99 < targetP99Ms,
      },
      {
        name: `  a second burst while the first one's checks run${mode === 'http' ? ', a new connection per command (its set-up counted)' : ''}, ${label}: p99`,
        value: Math.round(percentile(again.ackMs, 99)),
        unit: 'ms',
      },
    ];
    return [
      ...rows,
      {
        name: `  floor: the same burst to a Bolt app that only acks, ${label}: p50`,
        value: Math.round(percentile(floor.ackMs, 50)),
        unit: 'ms',
      },
      {
        name: `  floor: the same burst to a Bolt app that only acks, ${label}: p99`,
        value: Math.round(percentile(floor.ackMs, 99)),
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
        name: `  CPU of the emulator process (serves the bot's Web API calls), ${label}`,
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
    await stop(emulator.child);
  }
}

/**
 * The same burst against a Bolt app that acknowledges and does nothing else
 * (ack/ack-only-app-process.ts), on the bot's port or Socket Mode connection: what the load
 * generator, the emulator and Bolt's own receiver alone take on this machine.
 */
async function measureFloor(
  mode: 'http' | 'socket',
  port: number,
  baseUrl: string,
  burst: Burst,
  env: NodeJS.ProcessEnv,
  children: ChildProcess[],
): Promise<LoadLatencies> {
  const app = new ChildLines(
    start(
      children,
      process.execPath,
      [runTs, join(root, 'scripts', 'bench', 'ack', 'ack-only-app-process.ts'), mode, String(port)],
      env,
    ),
  );
  try {
    await app.next();
    await untilAcknowledged(baseUrl);
    await runLoad(burst, 10);
    return await runLoad(burst, concurrentCommands);
  } finally {
    await stop(app.child);
  }
}

/**
 * How a burst reaches the bot. HTTP mode: the load generator (ack/load-process.ts) plays Slack
 * and posts to the bot itself. Socket Mode: the bot's connection ends in the emulator, so the
 * emulator sends them, as Slack does, and times each delivery to its ack.
 */
type Burst =
  | { via: 'direct'; botUrl: string; emulator: ChildLines; fresh?: boolean }
  | { via: 'emulator'; emulator: ChildLines };

/** COUNT commands at once, half `status` and half `check dstest node10`. */
async function runLoad(burst: Burst, count: number): Promise<LoadLatencies> {
  const texts = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 'status' : 'check dstest node10'));
  if (burst.via === 'emulator') return JSON.parse(await burst.emulator.ask(JSON.stringify({ run: texts })));
  const loadProcess = join(root, 'scripts', 'bench', 'ack', 'load-process.ts');
  const args = [loadProcess, burst.botUrl, signingSecret, ...(burst.fresh ? ['fresh'] : [])];
  const load = spawn(process.execPath, [runTs, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  load.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  // The emulator prepares the payloads, so the bot's follow-ups reach live response_urls.
  load.stdin.end(await burst.emulator.ask(JSON.stringify({ prepare: texts })));
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
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
  children.push(child);
  return child;
}

/** A child's stdout, line by line: its "ready" line first, then the answers to what `ask` writes. */
class ChildLines {
  readonly child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  #exited: Error | null = null;

  constructor(child: ChildProcess) {
    this.child = child;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (let end = output.indexOf('\n'); end >= 0; end = output.indexOf('\n')) {
        const line = output.slice(0, end);
        output = output.slice(end + 1);
        const waiter = this.#waiting.shift();
        if (waiter) waiter.resolve(line);
        else this.#lines.push(line);
      }
    });
    child.once('exit', (code) => {
      this.#exited = new Error(`${child.spawnargs.join(' ')} exited (${code})`);
      for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#exited);
    });
  }

  next(): Promise<string> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#exited) return Promise.reject(this.#exited);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Writes `line` to the child's stdin and resolves with the line it answers. */
  ask(line: string): Promise<string> {
    this.child.stdin!.write(`${line}\n`);
    return this.next();
  }
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
