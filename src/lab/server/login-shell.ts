/**
 * A slow login shell, as admin hosts often have: bash reads root's `~/.bashrc` for every command
 * sshd starts, and a `pyenv init` there costs seconds and takes a lock shared by every shell on
 * the host (`pyenv rehash`), so ten commands at once wait ten startups in a row.
 */
import type { Clock } from '../../util/clock.js';

export interface LoginShell {
  /** Lab-clock time one shell spends in its startup files, holding the host's lock. */
  readonly startupMs: number;
  /**
   * Waits for this command's shell startup: the host's lock, then the startup itself. Resolves
   * false when `killed` fires first (the client signalled the session): the command never runs.
   */
  start(killed: AbortSignal): Promise<boolean>;
}

/** The login shell of one host; `startupMs` 0 is a fast, non-interactive shell. */
export function createLoginShell(startupMs: number, clock: Clock): LoginShell {
  let lock: Promise<void> = Promise.resolve();
  return {
    startupMs,
    async start(killed) {
      if (startupMs <= 0) return !killed.aborted;
      const previous = lock;
      let release!: () => void;
      lock = new Promise((resolve) => {
        release = resolve;
      });
      try {
        await untilKilled(previous, killed);
        if (killed.aborted) return false;
        await untilKilled(clock.sleep(startupMs), killed);
        return !killed.aborted;
      } finally {
        release();
      }
    },
  };
}

/** Waits for `promise`, or less when `killed` fires (a killed shell stops waiting at once). */
function untilKilled(promise: Promise<unknown>, killed: AbortSignal): Promise<void> {
  if (killed.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = () => resolve();
    killed.addEventListener('abort', stop, { once: true });
    promise.then(
      () => {
        killed.removeEventListener('abort', stop);
        resolve();
      },
      () => resolve(),
    );
  });
}
