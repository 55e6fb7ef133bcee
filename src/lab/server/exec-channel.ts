import type { ServerChannel } from 'ssh2';
import type { Clock } from '../../util/clock.js';
import type { ExecReply, LabWorld } from '../types.js';
import type { CommandLog } from './command-log.js';
import type { LoginShell } from './login-shell.js';
import { parseExecCommand } from './parse-exec-command.js';

/** The transport faults of one host, read afresh at every step of every command. */
export interface HostFaults {
  down: boolean;
  /** Accept TCP but never finish a handshake; never answer an exec. */
  hang: boolean;
  /** Extra lab-clock delay before each reply. */
  slowMs: number;
  /** Chance (0..1) that a command's connection drops before its reply is complete. */
  lossProbability: number;
  authFail: boolean;
}

/** What serving an exec request needs from the lab. */
export interface ExecService {
  host: string;
  faults: HostFaults;
  world: Pick<LabWorld, 'handle'>;
  log: CommandLog;
  clock: Clock;
  /** Seeded uniform [0, 1) draws for the lossy link. */
  random: () => number;
  /** The host's login shell, which every command pays for before it runs. */
  loginShell: LoginShell;
}

/**
 * How long a command waits for the first byte of stdin before running with none. livemig's
 * client closes stdin at once (EOF ends the wait); an interactive `ssh` whose stdin is a terminal
 * never does, and sshd would run the command regardless. Once stdin data flows, the command waits
 * for its end however long it takes: cutting it short would hand the world half a document.
 */
const stdinSilenceMs = 250;

/**
 * Serves one exec request: parses and logs the command line, asks the world (unless the lab's
 * shell answers itself), applies the host's slow/lossy/hang faults and sends output and status.
 * `dropConnection` tears the TCP connection down, like a link that fails mid-command.
 *
 * A command whose client gives up while its shell is still starting is killed and never reaches
 * the world: livemig sends the KILL signal request before it closes the channel, and OpenSSH's
 * sshd kills the session's process group. (ssh2's server does not pass on requests that come after
 * exec, so the lab takes the close that follows the signal as the kill.)
 */
export async function serveExec(
  channel: ServerChannel,
  rawCommand: string,
  user: string,
  service: ExecService,
  dropConnection: () => void,
): Promise<void> {
  let closed = false;
  const killed = new AbortController();
  channel.once('close', () => {
    closed = true;
    killed.abort();
  });
  const stdin = await readStdin(channel);
  const parsed = parseExecCommand(rawCommand, user);
  service.log.record({
    host: service.host,
    user,
    rawCommand,
    argv: parsed.kind === 'run' ? parsed.argv : null,
    sudo: parsed.kind === 'run' && parsed.sudo,
    atMs: service.clock.now(),
  });
  // A hung host keeps the channel open and silent until the client gives up.
  if (service.faults.hang) return;
  if (!(await service.loginShell.start(killed.signal))) {
    if (!closed) {
      channel.exit('KILL', false, '');
      channel.end();
    }
    return;
  }
  const reply =
    parsed.kind === 'reply'
      ? parsed.reply
      : await askWorld(service, {
          host: service.host,
          argv: parsed.argv,
          sudo: parsed.sudo,
          stdin,
          user,
          rawCommand,
        });
  if (service.faults.slowMs > 0) await service.clock.sleep(service.faults.slowMs);
  if (closed || service.faults.hang) return;
  if (service.faults.lossProbability > 0 && service.random() < service.faults.lossProbability) {
    // Part of the output makes it through, then the link dies: the command did run.
    channel.write(reply.stdout.slice(0, Math.floor(reply.stdout.length / 2)));
    dropConnection();
    return;
  }
  if (reply.stdout !== '') channel.write(reply.stdout);
  if (reply.stderr !== '') channel.stderr.write(reply.stderr);
  channel.exit(reply.code);
  channel.end();
}

async function askWorld(
  service: ExecService,
  request: Parameters<LabWorld['handle']>[0],
): Promise<ExecReply> {
  try {
    return await service.world.handle(request);
  } catch (error) {
    // A bug in the simulation must not look like a dead host: answer like a crashed program.
    const message = error instanceof Error ? error.message : String(error);
    return {
      stdout: '',
      stderr: `lab: ${request.argv[0]} crashed in the simulated world: ${message}\n`,
      code: 134,
    };
  }
}

function readStdin(channel: ServerChannel): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      channel.removeListener('data', onData);
      channel.removeListener('end', done);
      channel.removeListener('close', done);
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      clearTimeout(timer);
    };
    channel.on('data', onData);
    channel.once('end', done);
    channel.once('close', done);
    timer = setTimeout(done, stdinSilenceMs);
  });
}
