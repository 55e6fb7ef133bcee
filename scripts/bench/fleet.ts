/**
 * Fleet benchmarks: `livemig audit` (every hypervisor's capabilities, nova.conf, domain list and
 * the live XML of every running guest, plus `nova list`) and `livemig baseline` on a
 * 1000-hypervisor lab (~3000 guests). Cold: every SSH connection is new; warm: the pool is reused.
 * Lab servers and livemig share this process and its CPU, so real clusters see less load.
 */
import { auditCommand } from '../../commands/audit.js';
import { baselineCommand } from '../../commands/baseline.js';
import { readSecrets } from '../../src/config/load-config.js';
import { startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { BenchRow } from './types.js';

const hosts = 1000;
const auditTargetMs = 5_000;

/** Runs the fleet benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const lab = await startLab({ hosts });
  const executor = createSshExecutor(lab.config, readSecrets({}));
  try {
    const services = { config: lab.config, executor };
    let started = performance.now();
    const audit = await auditCommand.run({}, services);
    const coldAuditMs = performance.now() - started;
    started = performance.now();
    await auditCommand.run({}, services);
    const warmAuditMs = performance.now() - started;
    started = performance.now();
    const baseline = await baselineCommand.run({}, services);
    const warmBaselineMs = performance.now() - started;
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
        coldAuditMs,
        auditTargetMs,
      ),
      timing(`audit of ${hosts} hypervisors (warm SSH pool)`, warmAuditMs, auditTargetMs),
      {
        name: `baseline of ${hosts} hypervisors (warm SSH pool)`,
        value: Math.round(warmBaselineMs),
        unit: 'ms',
      },
    ];
  } finally {
    await executor.close();
    await lab.stop();
  }
}

function timing(name: string, ms: number, limitMs: number): BenchRow {
  return { name, value: Math.round(ms), unit: 'ms', target: `< ${limitMs} ms`, ok: ms < limitMs };
}
