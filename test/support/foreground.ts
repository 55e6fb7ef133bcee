import { type ChildProcess, spawn } from 'node:child_process';

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

/** A `node bin/livemig.js …` child process with its output captured as it arrives. */
export interface LivemigProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Waits until stdout matches; throws with everything printed if the process ends first. */
  waitForStdout(pattern: RegExp | string): Promise<void>;
}

/** Starts the real CLI as a child process (the way an operator runs it), with only `env` set. */
export function spawnLivemig(args: string[], env: NodeJS.ProcessEnv): LivemigProcess {
  const child = spawn(process.execPath, ['bin/livemig.js', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const matches = (pattern: RegExp | string) =>
    typeof pattern === 'string' ? stdout.includes(pattern) : pattern.test(stdout);
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitForStdout(pattern) {
      while (!matches(pattern)) {
        if (child.exitCode !== null) throw new Error(`livemig ${args[0]} ended early: ${stdout}${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
