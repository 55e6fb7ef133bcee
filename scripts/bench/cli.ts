/**
 * CLI startup: the CPU time (user + system, every thread: tsx's loader thread included) of
 * `node bin/livemig.js --help`, `check --help` and an offline `cpu baseline` on two capabilities
 * files, as a user starts them. CPU time rather than wall time, which a loaded machine inflates.
 * Median of several runs; the first run warms tsx's transform cache.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { capabilitiesCpuXml, hostCpuCatalog } from '../../src/cpu/index.js';
import { type BenchRow, percentile } from './types.js';

const runs = 5;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const execFileAsync = promisify(execFile);
/** Preloaded into the child: reports the process's own CPU time on stderr as it exits. */
const reportCpu = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nlivemig-bench-cpu-us '+(u.user+u.system)+'\\n')})`;

async function cpuMs(args: readonly string[]): Promise<number> {
  const { stderr } = await execFileAsync(
    process.execPath,
    ['--import', reportCpu, 'bin/livemig.js', ...args],
    {
      cwd: root,
    },
  );
  const match = /livemig-bench-cpu-us (\d+)/.exec(stderr);
  if (!match) throw new Error(`livemig ${args.join(' ')} did not report its CPU time`);
  return Number(match[1]) / 1000;
}

async function medianCpuMs(args: readonly string[]): Promise<number> {
  await cpuMs(args);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await cpuMs(args));
  return percentile(times, 50);
}

function row(name: string, value: number, limitMs: number): BenchRow {
  return { name, value: Math.round(value), unit: 'ms CPU', target: `< ${limitMs} ms`, ok: value < limitMs };
}

/** Runs the CLI startup benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'livemig-bench-cli-'));
  try {
    const files = await Promise.all(
      ['Intel Xeon E5-2670', 'Intel Xeon X5650'].map(async (model, i) => {
        const path = join(dir, `host${i}.xml`);
        const cpu = capabilitiesCpuXml(hostCpuCatalog[model]!, { indent: 4 });
        await writeFile(path, `<capabilities>\n  <host>\n${cpu}  </host>\n</capabilities>\n`);
        return path;
      }),
    );
    return [
      row('livemig --help (median)', await medianCpuMs(['--help']), 1000),
      row('livemig check --help (median)', await medianCpuMs(['check', '--help']), 1000),
      row('livemig cpu baseline, 2 files (median)', await medianCpuMs(['cpu', 'baseline', ...files]), 1500),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
