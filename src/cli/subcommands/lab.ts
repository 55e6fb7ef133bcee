import { join } from 'node:path';
import type { Command } from 'commander';
import type { NovaRelease } from '../../config/schema.js';
import { LivemigError } from '../../errors.js';
import type { Lab, LabOptions } from '../../lab/index.js';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';
import { positiveNumberFlag, wholeNumberFlag } from '../number-flags.js';
import { untilSignal } from '../until-signal.js';

const releases: readonly NovaRelease[] = ['icehouse', 'icehouse-patched', 'juno', 'kilo-or-later'];
/** Beyond this many hosts the summary lists the first ones and points at livemig.yml. */
const listedHosts = 20;
/**
 * faultUsage of src/lab/fault-command.ts, spelled out so `livemig --help` does not load the lab
 * (zod, ssh2); a CLI test keeps the two equal.
 */
const faultWords =
  'HOST down | HOST hang | HOST slow MS | HOST lossy P | HOST auth-fail | HOST rekey | ' +
  'HOST nova-compute-down | any fail-migration VM preparing|copying|switchover [MESSAGE] | HOST|all clear';

interface LabFlags {
  out?: string;
  hosts?: string;
  release?: string;
  speed?: string;
  seed?: string;
  port?: string;
  /** commander's --no-server-migration-api: false when given. */
  serverMigrationApi?: boolean;
}

/**
 * `livemig lab` (run the lab in the foreground) and `livemig lab fault` (inject a fault into it).
 * The lab loads inside the actions, so `livemig --help` stays fast.
 */
export const registerLab: SubcommandRegistration = (program, io) => {
  const lab = program
    .command('lab')
    .description('run the embedded lab cluster over real SSH on 127.0.0.1 until Ctrl-C')
    .requiredOption('--out <dir>', 'directory for livemig.yml, known_hosts, id_ed25519 and host keys')
    .option('--hosts <n>', 'hypervisor count (default: the seed cluster, 10)')
    .option('--release <release>', `nova release: ${releases.join(', ')} (default icehouse-patched)`)
    .option('--speed <x>', 'lab clock speed factor (default 1)')
    .option('--seed <n>', 'seed for every random choice of the lab (default 1)')
    .option('--port <first>', 'first TCP port, then one per host (default: chosen by the system)')
    .option(
      '--no-server-migration-api',
      "kilo-or-later: nova's server-migration API answers HTTP 404 (an older microversion)",
    )
    .action(async (flags: LabFlags, command: Command) => {
      const { startLab } = await import('../../lab/index.js');
      const running = await startLab({ ...labOptions(flags), controlSocket: true });
      printResult(io, globalOptions(command), labSummaryValue(running), () => labSummaryText(running));
      await untilSignal();
      await running.stop();
      if (!globalOptions(command).json) io.stdout('livemig lab: stopped\n');
    });
  lab
    .command('fault <host> <action> [args...]')
    .description(`inject a fault into the lab running in --out DIR: ${faultWords}`)
    .option('--out <dir>', 'the running lab directory')
    .action(async (host: string, action: string, args: string[], _flags: unknown, command: Command) => {
      const { out } = command.optsWithGlobals<{ out?: string }>();
      if (out === undefined)
        throw new LivemigError('usage', 'livemig lab fault needs --out DIR (the running lab)');
      const [{ parseFaultWords }, { sendControlFault }] = await Promise.all([
        import('../../lab/fault-command.js'),
        import('../../lab/server/control-socket.js'),
      ]);
      await sendControlFault(join(out, 'control.sock'), parseFaultWords(host, action, args));
      io.stdout(`${host} ${[action, ...args].join(' ')}: done\n`);
    });
};

/** Reads and checks the flags of `livemig lab`. */
export function labOptions(flags: LabFlags): LabOptions {
  const release = flags.release ?? 'icehouse-patched';
  if (!releases.includes(release as NovaRelease)) usage(`--release must be one of ${releases.join(', ')}`);
  return {
    ...(flags.out === undefined ? {} : { dir: flags.out }),
    release: release as NovaRelease,
    ...(flags.hosts === undefined
      ? {}
      : { hosts: wholeNumberFlag('--hosts', flags.hosts, { min: 1, max: 5_000 }, 'livemig lab') }),
    ...(flags.seed === undefined
      ? {}
      : { seed: wholeNumberFlag('--seed', flags.seed, { min: 0, max: 2 ** 32 - 1 }, 'livemig lab') }),
    ...(flags.port === undefined
      ? {}
      : { ports: wholeNumberFlag('--port', flags.port, { min: 1, max: 65_535 }, 'livemig lab') }),
    speed: flags.speed === undefined ? 1 : positiveNumberFlag('--speed', flags.speed, 'livemig lab'),
    ...(flags.serverMigrationApi === false ? { serverMigrationApi: false } : {}),
  };
}

/** The summary as data (for --json). */
export function labSummaryValue(lab: Lab): {
  dir: string;
  configPath: string;
  controlSocketPath: string | undefined;
  hosts: Record<string, string>;
} {
  const hosts = Object.fromEntries(
    lab.hosts.map((host) => [host.name, `127.0.0.1:${lab.hostPort(host.name)}`]),
  );
  return { dir: lab.dir, configPath: lab.configPath, controlSocketPath: lab.controlSocketPath, hosts };
}

/** What `livemig lab` prints once every host listens. */
export function labSummaryText(lab: Lab): string {
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
    `faults:  livemig lab fault --out ${lab.dir} ${sample.name} down   (${faultWords})`,
    'Press Ctrl-C to stop.',
  ].join('\n');
}

function usage(message: string): never {
  throw new LivemigError('usage', message, { hint: 'Run `livemig lab --help` for the options.' });
}
