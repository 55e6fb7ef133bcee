/**
 * `npm run bench`: runs every benchmark module in scripts/bench/ (or those named on the command
 * line, e.g. `npm run bench -- ssh cpu`), prints a table and writes bench-results.json.
 *
 * Each suite runs in a process of its own (this script again, with `--suite FILE`), so no suite
 * measures another's leftovers: the fleet and drain suites leave 1000-host lab worlds behind, and
 * a store write timed in the same heap paid for collecting them.
 */
import { fork } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './bench/types.js';

interface BenchModule {
  run(): Promise<BenchRow[]>;
}

const benchDir = join(dirname(fileURLToPath(import.meta.url)), 'bench');

if (process.argv[2] === '--suite') {
  // A child: run one suite and send its rows to the parent.
  const mod = (await import(pathToFileURL(join(benchDir, process.argv[3]!)).href)) as Partial<BenchModule>;
  // Support modules beside the benchmarks have no run(): no rows.
  const rows = typeof mod.run === 'function' ? await mod.run() : [];
  await new Promise<void>((resolve, reject) =>
    process.send!(rows, (error: Error | null) => (error ? reject(error) : resolve())),
  );
  process.exit(0);
}

const wanted = process.argv.slice(2);
const files = (await readdir(benchDir))
  .filter((f) => f.endsWith('.ts') && f !== 'types.ts')
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, '.ts')))
  .sort();

const results: Array<BenchRow & { suite: string }> = [];
let failed = false;
for (const file of files) {
  const suite = basename(file, '.ts');
  process.stderr.write(`running ${suite}...\n`);
  try {
    for (const row of await runSuite(file)) results.push({ suite, ...row });
  } catch (error) {
    failed = true;
    process.stderr.write(`${suite}: ${(error as Error).message}\n`);
  }
}

const header = ['suite', 'benchmark', 'value', 'unit', 'target', 'ok'];
const table = results.map((r) => [
  r.suite,
  r.name,
  Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(2),
  r.unit,
  r.target ?? '',
  r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));

const json = { date: new Date().toISOString(), node: process.version, results };
await writeFile('bench-results.json', `${JSON.stringify(json, null, 2)}\n`);
console.log(`\n${JSON.stringify(json)}`);
if (failed) process.exitCode = 1;

/** Runs one suite in a fresh process and resolves with its rows. */
function runSuite(file: string): Promise<BenchRow[]> {
  return new Promise((resolve, reject) => {
    // Through the same TypeScript runner as `npm run bench` itself.
    const runner = join(benchDir, '..', '..', 'bin', 'run-ts.js');
    const child = fork(runner, [fileURLToPath(import.meta.url), '--suite', file], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let rows: BenchRow[] | undefined;
    child.on('message', (message) => {
      rows = message as BenchRow[];
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (rows && code === 0) resolve(rows);
      else
        reject(
          new Error(
            `the suite's process ended (${signal ?? `exit code ${code}`}) without its rows; its error is above`,
          ),
        );
    });
  });
}
