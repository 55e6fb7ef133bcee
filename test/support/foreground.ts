import type { ChildProcess } from 'node:child_process';

/**
 * Resolves once a foreground `livemig` child (lab, start) has printed its "Press Ctrl-C to stop."
 * line; rejects with everything it printed if it exits first. `output` returns what it printed so far.
 */
export function untilForegroundReady(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (!output().includes('Press Ctrl-C to stop.')) return;
      clearInterval(check);
      resolve();
    }, 50);
    child.once('exit', (code) => {
      clearInterval(check);
      reject(new Error(`livemig exited with ${code}: ${output()}`));
    });
  });
}
