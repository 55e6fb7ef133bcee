import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandRegistry } from '../../commands/registry.js';
import { buildProgram } from '../../src/cli/main.js';
import { faultUsage } from '../../src/lab/fault-command.js';
import { runCli } from '../support/run-cli.js';

const run = promisify(execFile);
const subcommands = [
  'migrate',
  'check',
  'reboot',
  'drain',
  'undrain',
  'maintenance',
  'cancel',
  'status',
  'history',
  'hosts',
  'baseline',
  'audit',
  'cpu',
  'lab',
  'serve',
  'start',
];

function program() {
  return buildProgram({ stdout: () => {}, stderr: () => {}, env: {}, isTty: false }, () => {});
}

/** The subcommand names `livemig --help` lists, in order. */
function listedCommands(help: string): string[] {
  const commands = help.split('\nCommands:\n')[1] ?? '';
  return [...commands.matchAll(/^ {2}(\S+)/gm)].map((match) => match[1]!);
}

describe('livemig --help', () => {
  it('lists every subcommand, exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(listedCommands(stdout)).toEqual([...subcommands, 'help']);
  });

  it('lists the subcommands of cpu and lab', async () => {
    expect(listedCommands((await runCli(['cpu', '--help'])).stdout)).toEqual(['baseline', 'compare', 'help']);
    expect(listedCommands((await runCli(['lab', '--help'])).stdout)).toEqual(['fault']);
  });

  it('describes each command with the summary of its registry entry (Slack help shows those)', () => {
    const registered = new Map(program().commands.map((command) => [command.name(), command]));
    for (const entry of commandRegistry.filter((e) => e.surfaces.includes('cli'))) {
      expect(registered.get(entry.name)?.description(), entry.name).toBe(entry.summary);
    }
    const fault = registered.get('lab')?.commands.find((command) => command.name() === 'fault');
    expect(fault?.description()).toBe(`inject a fault into the lab running in --out DIR: ${faultUsage}`);
  });

  it('prints the same from bin/livemig.js as in-process', async () => {
    const { stdout } = await run(process.execPath, ['bin/livemig.js', '--help'], {
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(stdout).toBe((await runCli(['--help'])).stdout);
  });
});
