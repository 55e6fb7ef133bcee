/**
 * Pre-flight benchmarks: the whole `check dstest node10` against the seed lab over real SSH
 * (gather + evaluate; the lab and the check share a SimClock, so the 1 s dirty rate window costs
 * no wall time and the number is livemig's own work plus SSH), the same for ten VMs at once, the
 * pure evaluation of gathered facts, and one pre-copy prediction.
 */
import { clusterServicesOver } from '../../src/compose.js';
import { readSecrets } from '../../src/config/load-config.js';
import { predictPrecopy } from '../../src/engine/precopy.js';
import { gatherPreflightFacts } from '../../src/engine/preflight/gather.js';
import { evaluatePreflight, runPreflight } from '../../src/engine/preflight/index.js';
import { startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { SimClock } from '../../src/util/clock.js';
import { type BenchRow, percentile } from './types.js';

const checkTargetMs = 1000;
const runs = 10;
const fleetVms = ['web01', 'web02', 'web03', 'app01', 'app02', 'db01', 'cache01', 'mon01', 'git01', 'ci01'];

/** Runs the pre-flight benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const clock = new SimClock();
  const lab = await startLab({ clock });
  const executor = createSshExecutor(lab.config, readSecrets({}));
  // The services `livemig check` gets from the composition root.
  const context = clusterServicesOver(lab.config, executor, clock);
  try {
    await runPreflight(context, { vm: 'dstest', destination: 'node10' });
    const checkMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await runPreflight(context, { vm: 'dstest', destination: 'node10' });
      checkMs.push(performance.now() - start);
    }
    let start = performance.now();
    await Promise.all(fleetVms.map((vm) => runPreflight(context, { vm, destination: 'node10' })));
    const fleetMs = performance.now() - start;

    const facts = await gatherPreflightFacts(context, { vm: 'dstest', destination: 'node10' });
    const evaluations = 2000;
    start = performance.now();
    for (let i = 0; i < evaluations; i++) evaluatePreflight(facts);
    const evaluateUs = ((performance.now() - start) * 1000) / evaluations;

    const predictions = 20_000;
    start = performance.now();
    for (let i = 0; i < predictions; i++) {
      predictPrecopy({
        memoryBytes: 16 * 2 ** 30,
        bandwidthBytesPerSec: 117 * 2 ** 20,
        dirtyBytesPerSec: (100 + (i % 15)) * 2 ** 20,
        maxDowntimeMs: 300,
        completionTimeoutSecPerGiB: 800,
      });
    }
    const predictUs = ((performance.now() - start) * 1000) / predictions;

    const p50 = percentile(checkMs, 50);
    return [
      {
        name: `check dstest node10 over SSH to the seed lab, p50 of ${runs}`,
        value: Math.round(p50),
        unit: 'ms',
        target: `< ${checkTargetMs} ms`,
        ok: p50 < checkTargetMs,
      },
      { name: `check dstest node10, p90 of ${runs}`, value: Math.round(percentile(checkMs, 90)), unit: 'ms' },
      { name: `${fleetVms.length} checks at once (wall)`, value: Math.round(fleetMs), unit: 'ms' },
      { name: 'evaluatePreflight on gathered facts', value: Math.round(evaluateUs), unit: 'µs' },
      { name: 'predictPrecopy, 16 GiB near rho 1', value: Math.round(predictUs * 10) / 10, unit: 'µs' },
    ];
  } finally {
    await executor.close();
    await lab.stop();
  }
}
