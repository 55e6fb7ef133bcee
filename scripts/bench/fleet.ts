/**
 * Fleet benchmarks: `livemig audit` (every hypervisor's capabilities, nova.conf, domain list and
 * the live XML of every running guest, plus `nova list`) and `livemig baseline` on a
 * 1000-hypervisor lab (~3000 guests). Cold: every SSH connection is new; warm: the pool is reused.
 * Lab servers and livemig share this process and its CPU, so real clusters see less load. Each
 * timing has a CPU-time row (user + system of this process: livemig and the lab together), which a
 * loaded machine disturbs far less than wall time.
 */
import { auditCommand } from '../../commands/audit.js';
import { baselineCommand } from '../../commands/baseline.js';
import { terminalCaller } from '../../commands/types.js';
import { clusterServicesOver } from '../../src/compose.js';
import { readSecrets } from '../../src/config/load-config.js';
import { startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { systemClock } from '../../src/util/clock.js';
import type { BenchRow } from './types.js';

const hosts = 1000;
const auditTargetMs = 5_000;

/** Runs the fleet benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const lab = await startLab({ hosts });
  const executor = createSshExecutor(lab.config, readSecrets({}));
  try {
    const services = clusterServicesOver(lab.config, executor, systemClock);
    const caller = terminalCaller('bench');
    const cold = await measure(() => auditCommand.run({}, services, caller));
    const audit = cold.result;
    const warm = await measure(() => auditCommand.run({}, services, caller));
    const warmBaseline = await measure(() => baselineCommand.run({}, services, caller));
    const baseline = warmBaseline.result;
    if (baseline.baselines.length === 0) throw new Error('fleet bench: no hypervisor answered');
    return [
      {
        name: 'hosts unreachable during the cold audit (timeouts under load)',
        value: audit.unreachable.length,
        unit: 'hosts',
        target: '0',
        ok: audit.unreachable.length === 0,
      },
      timing(
        `audit of ${hosts} hypervisors, ${audit.guestsChecked} guests (cold SSH pool)`,
        cold.wallMs,
        auditTargetMs,
      ),
      cpuRow('audit (cold SSH pool), CPU time of livemig + lab', cold.cpuMs),
      timing(`audit of ${hosts} hypervisors (warm SSH pool)`, warm.wallMs, auditTargetMs),
      cpuRow('audit (warm SSH pool), CPU time of livemig + lab', warm.cpuMs),
      {
        name: `baseline of ${hosts} hypervisors (warm SSH pool)`,
        value: Math.round(warmBaseline.wallMs),
        unit: 'ms',
      },
      cpuRow('baseline (warm SSH pool), CPU time of livemig + lab', warmBaseline.cpuMs),
    ];
  } finally {
    await executor.close();
    await lab.stop();
  }
}

/** Wall time and this process's CPU time (user + system) of one run. */
async function measure<T>(task: () => Promise<T>): Promise<{ result: T; wallMs: number; cpuMs: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await task();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function cpuRow(name: string, cpuMs: number): BenchRow {
  return { name, value: Math.round(cpuMs), unit: 'ms CPU' };
}

function timing(name: string, ms: number, limitMs: number): BenchRow {
  return { name, value: Math.round(ms), unit: 'ms', target: `< ${limitMs} ms`, ok: ms < limitMs };
}
