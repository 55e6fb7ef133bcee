/**
 * The runtime of the CLI commands that use the migration runner: the configuration and SSH
 * executor (withCommandServices), the store in config.dataDir (locked, or read-only for status
 * and history), the runner reconciled with the cluster before anything else, and an orderly end
 * (every migration this process drives finished, the lock released).
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { CommandServices } from '../../../commands/types.js';
import { type OpenedRunner, openRunner } from '../../engine/runner/index.js';
import { Store } from '../../store/index.js';
import type { Actor } from '../../store/types.js';
import { withCommandServices } from '../command-services.js';
import type { CliIo, GlobalOptions } from '../context.js';

export interface RunnerServices extends OpenedRunner {
  services: CommandServices;
  /** The local operator, recorded as requester and approver of what they run. */
  actor: Actor;
}

/** Opens the runner, reconciles (unless read-only), runs `use`, waits for idle, closes. */
export function withRunner<T>(
  io: CliIo,
  options: GlobalOptions,
  mode: 'write' | 'read-only',
  use: (runtime: RunnerServices) => Promise<T>,
): Promise<T> {
  return withCommandServices(io, options, async (services) => {
    const { config, clock } = services;
    const store = await Store.open({
      dataDir: config.dataDir,
      clock,
      archiveAfterDays: config.archiveAfterDays,
      readOnly: mode === 'read-only',
    });
    try {
      const opened = await openRunner({ ...services, store });
      if (mode === 'write') {
        await opened.runner.reconcile();
        await store.archiveFinished();
      }
      const result = await use({ ...opened, services, actor: localActor(io.env) });
      await opened.runner.idle();
      return result;
    } finally {
      await store.close();
    }
  });
}

/** The operator at this terminal. */
export function localActor(env: NodeJS.ProcessEnv): Actor {
  const name = env.USER ?? env.LOGNAME ?? safeUserName();
  return { id: name, via: 'cli', name };
}

/** A y/N question on the terminal, or null when stdin or stdout is not a terminal. */
export function terminalConfirm(io: CliIo): ((question: string) => Promise<boolean>) | null {
  if (!io.isTty || process.stdin.isTTY !== true) return null;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}
