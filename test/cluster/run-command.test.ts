import { describe, expect, it } from 'vitest';
import { liveMigrate } from '../../src/cluster/nova/live-migrate.js';
import { RemoteCommandFailed } from '../../src/cluster/run-command.js';
import type { CommandResult, RemoteCommand, RemoteExecutor } from '../../src/ssh/types.js';

/** An executor that answers every command with one canned result and records what it was asked. */
function cannedExecutor(
  result: Partial<CommandResult>,
): RemoteExecutor & { calls: [string, RemoteCommand][] } {
  const calls: [string, RemoteCommand][] = [];
  return {
    calls,
    run: async (host, command) => {
      calls.push([host, command]);
      return { code: 0, signal: null, stdout: '', stderr: '', durationMs: 1, ...result };
    },
    close: async () => {},
  };
}

const uuid = 'a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42';

describe('a failed remote command', () => {
  it("names the command and host and keeps nova's ERROR line intact", async () => {
    const stderr =
      "WARNING: a deprecation warning\nERROR (BadRequest): Unacceptable CPU info: CPU doesn't have compatibility. (HTTP 400) (Request-ID: req-1)\n";
    const executor = cannedExecutor({ code: 1, stderr });
    const error = await liveMigrate(executor, 'control01', { uuid, destinationHost: 'node10' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteCommandFailed);
    expect(error).toMatchObject({
      code: 'remote_command_failed',
      host: 'control01',
      exitCode: 1,
      lastLine:
        "ERROR (BadRequest): Unacceptable CPU info: CPU doesn't have compatibility. (HTTP 400) (Request-ID: req-1)",
    });
    expect((error as Error).message).toBe(
      `nova live-migration ${uuid} node10 failed on control01 (exit 1): ERROR (BadRequest): Unacceptable CPU info: CPU doesn't have compatibility. (HTTP 400) (Request-ID: req-1)`,
    );
  });

  it('reports a command killed by a signal', async () => {
    const executor = cannedExecutor({ code: null, signal: 'KILL' });
    await expect(liveMigrate(executor, 'control01', { uuid, destinationHost: 'node10' })).rejects.toThrow(
      /failed on control01 \(signal KILL\)$/,
    );
  });

  it('builds the block-migration argv with the options before the positionals', async () => {
    const executor = cannedExecutor({});
    await liveMigrate(executor, 'control01', { uuid, destinationHost: 'node10', blockMigrate: true });
    expect(executor.calls).toEqual([
      ['control01', { program: 'nova', args: ['live-migration', '--block-migrate', uuid, 'node10'] }],
    ]);
  });
});
