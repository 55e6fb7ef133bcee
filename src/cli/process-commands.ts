/**
 * The commands that run a long-lived process of their own until Ctrl-C: the lab, the Slack bot and
 * the demo. Their names, flags and help come from the registry; what they do lives here. Each
 * loads its implementation inside the call, so `livemig --help` stays fast.
 */
import { join } from 'node:path';
import { labFaultWords, type ProcessCommandName } from '../../commands/registry.js';
import type { CommandInput } from '../../commands/types.js';
import type { NovaRelease } from '../config/schema.js';
import { LivemigError } from '../errors.js';
import type { Lab, LabOptions } from '../lab/index.js';
import { positiveNumberFlag, untilSignal, wholeNumberFlag } from './cli-support.js';
import { type CliIo, type GlobalOptions, printResult } from './context.js';

type ProcessCommand = (input: CommandInput, io: CliIo, options: GlobalOptions) => Promise<number>;

const releases: readonly NovaRelease[] = ['icehouse', 'icehouse-patched', 'juno', 'kilo-or-later'];
const listedHosts = 20;
const slackCredentials = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'] as const;

export const processCommands: Record<ProcessCommandName, ProcessCommand> = {
  /** `livemig lab --out DIR …`: the lab over real SSH on 127.0.0.1, its control socket in DIR. */
  async lab(input, io, options) {
    const { startLab } = await import('../lab/index.js');
    const running = await startLab({ ...labOptions(input.flags), controlSocket: true });
    printResult(io, options, labSummaryValue(running), () => labSummaryText(running));
    await untilSignal();
    await running.stop();
    if (!options.json) io.stdout('livemig lab: stopped\n');
    return 0;
  },

  /** `livemig lab fault HOST ACTION [ARGS…] --out DIR`: a fault for the lab running in DIR. */
  async 'lab fault'(input, io) {
    const out = input.flags.out;
    if (typeof out !== 'string')
      throw new LivemigError('usage', 'livemig lab fault needs --out DIR (the running lab)');
    const [host, action, ...args] = input.args as [string, string, ...string[]];
    const [{ parseFaultWords }, { sendControlFault }] = await Promise.all([
      import('../lab/fault-command.js'),
      import('../lab/server/control-socket.js'),
    ]);
    await sendControlFault(join(out, 'control.sock'), parseFaultWords(host, action, args));
    io.stdout(`${host} ${[action, ...args].join(' ')}: done\n`);
    return 0;
  },

  /** `livemig serve`: the bot until SIGINT/SIGTERM; running migrations finish first. */
  async serve(_input, io, options) {
    const { readConfigFile, readSecrets } = await import('../config/load-config.js');
    requireSlackSecrets(readSecrets(io.env));
    const { config, secrets } = await readConfigFile(options.config, io.env);
    const [{ runSlackBot }, { systemClock }] = await Promise.all([
      import('../bot.js'),
      import('../util/clock.js'),
    ]);
    const running = await runSlackBot({ config, secrets, clock: systemClock, logger: ioLogger(io) });
    io.stderr(
      `livemig serve: connected to Slack (${secrets.slackAppToken ? 'Socket Mode' : `HTTP on port ${running.port}`}); Ctrl-C stops.\n`,
    );
    const signal = await untilSignal();
    io.stderr(
      `livemig serve: ${signal}: stopping; running migrations finish first (or resume at the next start).\n`,
    );
    await running.stop({ drain: true });
    return 0;
  },

  /** `livemig start`: the demo (lab + emulated Slack + bot); with Slack credentials, `serve`. */
  async start(input, io, options) {
    if (slackCredentials.some((name) => io.env[name])) return processCommands.serve(input, io, options);
    const help = 'livemig start';
    const { port, speed, dir } = input.flags;
    const [{ startBot }, { startDemo }, { walkthroughText }] = await Promise.all([
      import('../demo/start-bot.js'),
      import('../demo/start-demo.js'),
      import('../demo/walkthrough.js'),
    ]);
    const demo = await startDemo({
      port:
        port === undefined ? 3000 : wholeNumberFlag('--port', String(port), { min: 0, max: 65_535 }, help),
      speed: speed === undefined ? 1 : positiveNumberFlag('--speed', String(speed), help),
      ...(typeof dir === 'string' ? { dir } : {}),
      startBot,
    });
    const summary = { pageUrl: demo.pageUrl, labDir: demo.lab.dir, configPath: demo.lab.configPath };
    printResult(io, options, summary, () => walkthroughText(demo));
    await untilSignal();
    await demo.stop();
    if (!options.json) io.stdout('livemig start: stopped\n');
    return 0;
  },
};

/** `serve` refuses to start without the Slack secrets it needs, saying which to set. */
function requireSlackSecrets(secrets: {
  slackBotToken?: string | undefined;
  slackAppToken?: string | undefined;
  slackSigningSecret?: string | undefined;
}): void {
  if (!secrets.slackBotToken) {
    throw new LivemigError('config_missing', 'SLACK_BOT_TOKEN is not set', {
      hint: "Set SLACK_BOT_TOKEN to the bot token (xoxb-…) from the app's OAuth & Permissions page.",
    });
  }
  if (!secrets.slackAppToken && !secrets.slackSigningSecret) {
    throw new LivemigError(
      'config_missing',
      'SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) is not set',
      {
        hint: 'Set SLACK_APP_TOKEN to an app-level token (xapp-…, scope connections:write), or SLACK_SIGNING_SECRET and PORT.',
      },
    );
  }
}

function ioLogger(io: CliIo) {
  return {
    info: (message: string) => io.stderr(`livemig serve: ${message}\n`),
    warn: (message: string) => io.stderr(`livemig serve: warning: ${message}\n`),
    error: (message: string) => io.stderr(`livemig serve: error: ${message}\n`),
  };
}

/** The lab's options from `livemig lab` flags. */
function labOptions(flags: CommandInput['flags']): LabOptions {
  const help = 'livemig lab';
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const release = text('release') ?? 'icehouse-patched';
  if (!releases.includes(release as NovaRelease)) {
    throw new LivemigError('usage', `--release must be one of ${releases.join(', ')}`, {
      hint: 'Run `livemig lab --help` for the options.',
    });
  }
  const hosts = text('hosts');
  const seed = text('seed');
  const port = text('port');
  const speed = text('speed');
  const out = text('out');
  return {
    ...(out === undefined ? {} : { dir: out }),
    release: release as NovaRelease,
    ...(hosts === undefined
      ? {}
      : { hosts: wholeNumberFlag('--hosts', hosts, { min: 1, max: 5_000 }, help) }),
    ...(seed === undefined
      ? {}
      : { seed: wholeNumberFlag('--seed', seed, { min: 0, max: 2 ** 32 - 1 }, help) }),
    ...(port === undefined ? {} : { ports: wholeNumberFlag('--port', port, { min: 1, max: 65_535 }, help) }),
    speed: speed === undefined ? 1 : positiveNumberFlag('--speed', speed, help),
    ...(flags['no-server-migration-api'] === true ? { serverMigrationApi: false } : {}),
  };
}

function labSummaryValue(lab: Lab) {
  const hosts = Object.fromEntries(
    lab.hosts.map((host) => [host.name, `127.0.0.1:${lab.hostPort(host.name)}`]),
  );
  return { dir: lab.dir, configPath: lab.configPath, controlSocketPath: lab.controlSocketPath, hosts };
}

function labSummaryText(lab: Lab): string {
  const width = Math.max(...lab.hosts.map((host) => host.name.length));
  const listed = lab.hosts
    .slice(0, listedHosts)
    .map((host) => `  ${host.name.padEnd(width)}  127.0.0.1:${lab.hostPort(host.name)}`);
  if (lab.hosts.length > listedHosts)
    listed.push(`  … and ${lab.hosts.length - listedHosts} more (see livemig.yml)`);
  const sample = lab.hosts.find((host) => host.role === 'hypervisor') ?? lab.hosts[0]!;
  const sshCommand =
    `ssh -i ${join(lab.dir, 'id_ed25519')} -o UserKnownHostsFile=${join(lab.dir, 'known_hosts')} ` +
    `-p ${lab.hostPort(sample.name)} root@127.0.0.1 'virsh capabilities'`;
  return [
    `livemig lab: ${lab.hosts.length} hosts on 127.0.0.1 (nova ${lab.config.nova.release})`,
    ...listed,
    `config:  ${lab.configPath}`,
    `use it:  livemig serve --config ${lab.configPath}`,
    `try:     ${sshCommand}`,
    `faults:  livemig lab fault --out ${lab.dir} ${sample.name} down   (${labFaultWords})`,
    'Press Ctrl-C to stop.',
  ].join('\n');
}
