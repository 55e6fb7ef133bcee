/**
 * `npm run bench`: runs every benchmark module in scripts/bench/ (or those named on the command
 * line, e.g. `npm run bench -- ssh cpu`), prints a table and writes bench-results.json.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './bench/types.js';

interface BenchModule {
  run(): Promise<BenchRow[]>;
}

const benchDir = join(dirname(fileURLToPath(import.meta.url)), 'bench');
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
    const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as Partial<BenchModule>;
    // Support modules beside the benchmarks have no run(): skip them.
    if (typeof mod.run !== 'function') continue;
    for (const row of await mod.run()) results.push({ suite, ...row });
  } catch (error) {
    failed = true;
    process.stderr.write(`${suite}: ${(error as Error).stack ?? error}\n`);
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
