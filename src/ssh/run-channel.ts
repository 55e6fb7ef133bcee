import { LivemigError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import type { ExecChannel } from './connection.js';
import type { CommandResult } from './types.js';

/** How long to wait for the server to confirm the close of a channel we gave up on. */
const closeConfirmMs = 2_000;

/**
 * Sends the KILL signal request (RFC 4254 6.9), so the host ends the command instead of leaving it
 * running once we stop waiting: OpenSSH's sshd kills the session's process group (a command still
 * in a slow login shell included). ssh2's Channel.signal() sends nothing once our side sent EOF,
 * which every command here does at once with its stdin, although the RFC allows requests on a
 * half-closed channel; so the request goes to ssh2's protocol writer for that channel directly.
 */
function signalKill(channel: ExecChannel['channel']): void {
  const internals = channel as unknown as {
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal(id: number, name: string): void } };
  };
  try {
    const outgoing = internals.outgoing;
    // 'eof': we closed stdin, the channel is still open for requests.
    if (outgoing && (outgoing.state === 'open' || outgoing.state === 'eof'))
      internals._client?._protocol?.signal(outgoing.id, 'KILL');
  } catch {
    // The connection may be going away; closing the channel is what frees it either way.
  }
}

/** How one command runs on an open channel; `describe` names host and program for messages. */
export interface ChannelRun {
  stdin: string | undefined;
  timeoutMs: number;
  maxOutputBytes: number;
  signal: AbortSignal | undefined;
  clock: Clock;
  host: string;
  program: string;
  /** Whether the connection under the channel has broken (a close without exit status means it dropped). */
  connectionBroken: () => boolean;
}

/**
 * Feeds stdin, collects stdout/stderr and waits for the exit status. A timeout, the output cap
 * or an abort ends the channel (KILL signal first: OpenSSH delivers it to the process, other
 * servers may ignore it, and closing the channel is what frees it either way).
 */
export function runOnChannel(
  { channel, requestedMs, exitStatus, closed }: ExecChannel,
  run: ChannelRun,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outputBytes = 0;
    let done = false;

    const finish = (outcome: { error: unknown } | { result: CommandResult }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if ('error' in outcome) {
        signalKill(channel);
        channel.close();
        // The slot is given back only once the server confirmed the close (or after a bound),
        // so the next channel is not refused for a session the server still counts.
        const bound = setTimeout(() => reject(outcome.error), closeConfirmMs);
        bound.unref();
        closed.then(() => {
          clearTimeout(bound);
          reject(outcome.error);
        });
      } else {
        resolve(outcome.result);
      }
    };
    const onAbort = () => finish({ error: run.signal?.reason });
    const timer = setTimeout(
      () =>
        finish({
          error: new LivemigError(
            'ssh_timeout',
            `${run.program} on ${run.host} did not finish within ${run.timeoutMs} ms; the channel was closed`,
            { hint: 'The host may be overloaded or the command stuck; check it before retrying.' },
          ),
        }),
      run.timeoutMs,
    );
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > run.maxOutputBytes) {
        finish({
          error: new LivemigError(
            'ssh_output_too_large',
            `${run.program} on ${run.host} wrote more than ${run.maxOutputBytes} bytes of output; the channel was closed`,
          ),
        });
        return;
      }
      into.push(chunk);
    };

    if (run.signal?.aborted) return onAbort();
    run.signal?.addEventListener('abort', onAbort, { once: true });
    channel.on('data', collect(stdout));
    channel.stderr.on('data', collect(stderr));
    // ssh2 closes a dropped connection's channels before the connection reports its own close,
    // so the check for "dropped" waits one turn of the event loop.
    closed.then(() => setImmediate(onClose));
    const onClose = () => {
      const exit = exitStatus();
      if (!exit && run.connectionBroken()) {
        finish({
          error: new LivemigError(
            'ssh_disconnected',
            `the connection to ${run.host} dropped while ${run.program} was running; its outcome is unknown`,
          ),
        });
        return;
      }
      finish({
        result: {
          code: exit?.code ?? null,
          signal: exit?.signal ?? null,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          durationMs: run.clock.now() - requestedMs,
        },
      });
    };
    // A quick command may have closed its channel already; ending it again only raises an error.
    if (!channel.writableEnded && !channel.destroyed) channel.end(run.stdin ?? undefined);
  });
}
