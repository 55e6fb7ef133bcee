import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs many `virsh -c test:///default cpu-baseline` commands and returns each one's stdout.
 * Starting virsh costs ~100 ms, so commands go in batches through one virsh process each
 * ("cmd; echo @@; cmd; echo @@"), two batches at a time; a failing command leaves an empty
 * output and virsh carries on with the next one.
 */
export async function runVirshBaselines(
  commands: readonly { file: string; features: boolean }[],
  batchSize = 100,
): Promise<string[]> {
  const batches: string[][] = [];
  for (let i = 0; i < commands.length; i += batchSize) {
    batches.push(
      commands
        .slice(i, i + batchSize)
        .map((c) => `cpu-baseline ${c.features ? '--features ' : ''}${c.file}; echo @@`),
    );
  }
  const outputs: string[][] = new Array(batches.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const index = next++;
      const { stdout } = await execFileAsync('virsh', ['-c', 'test:///default', batches[index]!.join('; ')], {
        maxBuffer: 64 * 1024 * 1024,
      });
      outputs[index] = stdout.split('@@\n').slice(0, batches[index]!.length);
    }
  };
  await Promise.all([worker(), worker()]);
  return outputs.flat();
}
