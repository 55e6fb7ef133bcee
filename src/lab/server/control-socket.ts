import { unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { LivemigError, userMessage } from '../../errors.js';
import { type LabFault, labFaultSchema } from '../fault-command.js';

/** sun_path holds 108 bytes on Linux, including the terminating NUL. */
const maxSocketPathBytes = 107;

/**
 * The running lab's control channel: a Unix socket (DIR/control.sock) speaking JSON lines.
 * Request: `{"fault": LabFault}`; answer: `{"ok": true}` or `{"ok": false, "error": "…"}`.
 * `livemig lab fault` is its client; anything else that can write a line to a socket can be too.
 */
export async function serveControlSocket(
  path: string,
  apply: (fault: LabFault) => Promise<void>,
): Promise<Server> {
  if (Buffer.byteLength(path) > maxSocketPathBytes) {
    throw new LivemigError('usage', `the lab's control socket path is too long for a Unix socket: ${path}`, {
      hint: `Use a shorter --out directory (the socket path must stay within ${maxSocketPathBytes} bytes).`,
    });
  }
  if (await isAnswering(path)) {
    throw new LivemigError('usage', `another lab is already running with control socket ${path}`, {
      hint: 'Stop it first (Ctrl-C in its terminal), or give this lab another --out directory.',
    });
  }
  // A lab killed without cleanup leaves its socket file behind; binding needs it gone.
  await unlink(path).catch(() => {});
  const server = createServer((socket) => {
    const lines = createInterface({ input: socket });
    // A client that vanishes mid-request is its own problem, never the lab's; readline re-emits
    // the socket's errors, so both need a handler.
    socket.on('error', () => {});
    lines.on('error', () => {});
    lines.on('line', (line) => {
      void answer(line, apply).then((reply) => socket.write(`${JSON.stringify(reply)}\n`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  return server;
}

function isAnswering(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

type ControlReply = { ok: true } | { ok: false; error: string };

async function answer(line: string, apply: (fault: LabFault) => Promise<void>): Promise<ControlReply> {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const fault = labFaultSchema.safeParse((request as { fault?: unknown } | null)?.fault);
  if (!fault.success) return { ok: false, error: `not a fault: ${fault.error.issues[0]?.message}` };
  try {
    await apply(fault.data);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: userMessage(error) };
  }
}

/** Sends one fault to the lab listening at `path` and waits for its answer. */
export function sendControlFault(path: string, fault: LabFault, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const lines = createInterface({ input: socket });
    const fail = (message: string, hint?: string) => {
      socket.destroy();
      reject(new LivemigError('usage', message, hint === undefined ? {} : { hint }));
    };
    const onError = (error: NodeJS.ErrnoException) =>
      fail(
        `no lab is running with control socket ${path} (${error.code})`,
        'Start it with `livemig lab --out DIR` first.',
      );
    // readline re-emits the socket's errors: both need a handler or the process dies.
    socket.on('error', onError);
    lines.on('error', onError);
    socket.setTimeout(timeoutMs, () => fail(`the lab at ${path} did not answer within ${timeoutMs} ms`));
    socket.once('connect', () => socket.write(`${JSON.stringify({ fault })}\n`));
    lines.once('line', (line) => {
      socket.end();
      let reply: ControlReply;
      try {
        reply = JSON.parse(line) as ControlReply;
      } catch {
        return fail(`the lab at ${path} answered something that is not JSON`);
      }
      if (reply.ok) resolve();
      else fail(`the lab refused the fault: ${reply.error}`);
    });
  });
}
