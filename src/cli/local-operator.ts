/**
 * Runs a core command as the operator at this terminal: loads livemig.yml (--config or
 * LIVEMIG_CONFIG), opens what the command needs through the composition root, asks y/N on a
 * terminal, shows the checklist and a live progress bar (on stderr with --json, so stdout stays the
 * result), turns Ctrl-C into a cancel of the migration this command started, and closes everything.
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { renderChecklist } from '../../commands/checklist-text.js';
import { createProgressPrinter } from '../../commands/progress-text.js';
import type { Actor, AnyCommandImpl, Caller, CallerEvent, RunnerServices } from '../../commands/types.js';
import { terminalCaller } from '../../commands/types.js';
import { systemClock } from '../util/clock.js';
import type { CliIo, GlobalOptions } from './context.js';

export async function runAsLocalOperator(
  impl: AnyCommandImpl,
  request: unknown,
  io: CliIo,
  options: GlobalOptions,
): Promise<unknown> {
  const caller: Caller = terminalCaller(localUserName(io.env), terminalConfirm(io));
  const { actor } = caller;
  if (impl.needs === 'nothing') return impl.run(request, {}, caller);
  // Loaded only here: an offline command (`cpu baseline`) starts without ssh2, lowdb, YAML and zod.
  const [{ compose }, { readConfigFile }] = await Promise.all([
    import('../compose.js'),
    import('../config/load-config.js'),
  ]);
  const { config, secrets } = await readConfigFile(options.config, io.env);
  const composed = await compose({ config, secrets, clock: systemClock, needs: impl.needs });
  const out = options.json ? io.stderr : io.stdout;
  const progress = createProgressPrinter(io.isTty, out);
  const interrupt =
    'runner' in composed.services ? cancelOnInterrupt(composed.services as RunnerServices, actor, io) : null;
  caller.onEvent = (event: CallerEvent) => {
    if (event.kind === 'checked') {
      out(renderChecklist(event.request));
      return;
    }
    if (event.kind === 'text') {
      out(event.text);
      return;
    }
    // One operator at a terminal never waits behind other callers' checks.
    if (event.kind === 'waiting') return;
    if (event.event.migrationId !== null) interrupt?.started(event.event.migrationId);
    progress(event.event);
  };
  try {
    return await impl.run(request, composed.services, caller);
  } finally {
    // A failure message must not land on the end of a half-drawn bar.
    progress.end();
    interrupt?.dispose();
    await composed.close();
  }
}

/** Who is at this terminal. */
function localUserName(env: NodeJS.ProcessEnv): string {
  return env.USER ?? env.LOGNAME ?? safeUserName();
}

/** A y/N question on the terminal, or null when stdin or stdout is not a terminal. */
function terminalConfirm(io: CliIo): ((question: string) => Promise<boolean>) | null {
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

/**
 * Once the migration runs, Ctrl-C (SIGINT) cancels it: the runner aborts the copy and confirms the
 * VM still runs on its source, and the command ends CANCELLED. (The data dir is locked while this
 * process runs, so `livemig cancel` from another terminal cannot.) A second Ctrl-C quits at once;
 * the next livemig start then finishes the cancel.
 */
function cancelOnInterrupt(
  { runner }: RunnerServices,
  actor: Actor,
  io: CliIo,
): { started(migrationId: string): void; dispose(): void } {
  let migrationId: string | null = null;
  let cancelling = false;
  const onInterrupt = () => {
    if (cancelling || migrationId === null) {
      dispose();
      process.kill(process.pid, 'SIGINT');
      return;
    }
    cancelling = true;
    io.stderr(`\nCtrl-C: cancelling ${migrationId} (Ctrl-C again to quit without waiting)\n`);
    runner.cancel(migrationId, actor).catch((error: unknown) => {
      io.stderr(`cannot cancel ${migrationId}: ${(error as Error).message}\n`);
    });
  };
  const dispose = () => {
    process.off('SIGINT', onInterrupt);
  };
  return {
    started(id) {
      if (migrationId !== null) return;
      migrationId = id;
      process.on('SIGINT', onInterrupt);
    },
    dispose,
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}
