/**
 * `npm run test:stress [-- VITEST_ARGS...]`: the whole suite while stress-ng keeps 4 CPU workers
 * busy, so a test that only passes on an idle machine fails here rather than in someone's CI.
 * stress-ng is stopped when the suite ends, however it ends; its own --timeout is the backstop
 * should this process be killed outright.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const stressNgPath = '/usr/bin/stress-ng';
const cpuWorkers = 4;
const backstopSeconds = 3600;

if (!existsSync(stressNgPath)) {
  console.error(`${stressNgPath} is not installed: apt-get install stress-ng (Debian package stress-ng)`);
  process.exit(2);
}

// stress-ng must never outlive the suite, even if this process is killed outright: a shell holds
// it and kills it as soon as its stdin (a pipe from this process) closes, which the kernel does
// when this process ends, however it ends. --timeout is the last backstop.
const stress = spawn(
  'sh',
  [
    '-c',
    `${stressNgPath} --cpu ${cpuWorkers} --timeout ${backstopSeconds}s --quiet & pid=$!; read _; kill $pid; wait $pid`,
  ],
  { stdio: ['pipe', 'ignore', 'inherit'] },
);
console.error(`stress-ng --cpu ${cpuWorkers} started`);

const suite = spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    suite.kill(signal);
    void stop(stress);
  });
}

const exitCode = await new Promise<number>((resolve) => {
  suite.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  suite.once('error', (error) => {
    console.error(`cannot run vitest: ${error.message}`);
    resolve(1);
  });
});
await stop(stress);
console.error(`stress-ng stopped; suite exit code ${exitCode}`);
process.exit(exitCode);

/** Closes the watchdog shell's stdin, so it stops stress-ng (which stops its workers), and waits. */
async function stop(watchdog: ChildProcess): Promise<void> {
  if (watchdog.exitCode !== null || watchdog.signalCode !== null) return;
  const exited = new Promise((resolve) => watchdog.once('exit', resolve));
  watchdog.stdin?.end();
  await exited;
}
