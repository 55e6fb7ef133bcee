import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../commands/audit.js';
import { baselineCommand } from '../../commands/baseline.js';
import { cancelCommand } from '../../commands/cancel.js';
import { checkCommand } from '../../commands/check.js';
import { historyCommand } from '../../commands/history.js';
import { hostsCommand } from '../../commands/hosts.js';
import { migrateCommand } from '../../commands/migrate.js';
import { rebootCommand } from '../../commands/reboot.js';
import { statusCommand } from '../../commands/status.js';
import { buildProgram } from '../../src/cli/main.js';
import { faultUsage } from '../../src/lab/fault-command.js';
import { runCli } from '../support/run-cli.js';

const run = promisify(execFile);
const subcommands = [
  'check',
  'migrate',
  'reboot',
  'status',
  'history',
  'cancel',
  'cpu',
  'baseline',
  'audit',
  'hosts',
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

  it('describes each command with the summary its command module gives (Slack help shows those)', () => {
    const registered = new Map(program().commands.map((command) => [command.name(), command]));
    for (const module of [
      checkCommand,
      migrateCommand,
      rebootCommand,
      statusCommand,
      historyCommand,
      cancelCommand,
      baselineCommand,
      auditCommand,
      hostsCommand,
    ]) {
      expect(registered.get(module.name)?.description(), module.name).toBe(module.summary);
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
