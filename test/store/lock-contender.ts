// A separate process that tries to lock a data dir when told "go" on stdin, says whether it got
// it, and keeps it until stdin closes: how two livemig processes meet the same data dir.
import { createInterface } from 'node:readline';
import { lockDataDir } from '../../src/store/data-dir-lock.js';

const [dataDir] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
lines.once('line', async () => {
  try {
    await lockDataDir(dataDir!);
    process.stdout.write('locked\n');
  } catch (error) {
    process.stdout.write(`refused: ${(error as Error).message}\n`);
  }
});
lines.once('close', () => process.exit(0));
