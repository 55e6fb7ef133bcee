/**
 * The one list of livemig's commands. The commander program (`livemig --help`), the Slack router
 * (`/migrate …` with its closest-subcommand hint), `help` on both surfaces and the `--json` output
 * are all built from these entries; nothing else lists the commands.
 *
 * An entry is metadata only (cheap to load, so `livemig --help` stays fast); `load()` brings in the
 * implementation with its parsers, engine and SSH code when the command runs.
 */
import type { AnyCommandImpl } from './types.js';

/** Who may run a command: anyone, requesters (config.approval.requesters), or approvers. */
export type Audience = 'everyone' | 'requesters' | 'approvers';

/** Where a command can be typed. */
export type Surface = 'cli' | 'slack';

export interface ArgSpec {
  /** As the usage line shows it, e.g. `VM`. */
  name: string;
  description: string;
  /** Takes the rest of the words (at least one, unless optional). */
  variadic?: boolean;
  optional?: boolean;
}

export interface FlagSpec {
  /** Without the dashes, e.g. `block-migrate`. */
  name: string;
  /** The value's placeholder (`N`, `DIR`) for a flag that takes one; absent for a switch. */
  value?: string;
  description: string;
  /** Where the flag exists (default: wherever the command does). `--yes` is a terminal's. */
  surfaces?: readonly Surface[];
  /** The CLI refuses to run without it. */
  required?: boolean;
}

interface EntryBase {
  name: string;
  /** One line for help listings. */
  summary: string;
  args: readonly ArgSpec[];
  flags: readonly FlagSpec[];
  audience: Audience;
  surfaces: readonly Surface[];
  /**
   * The command asks the hosts over SSH (a pre-flight, a fleet probe): a long-running surface runs
   * at most limits.maxConcurrentChecks of them at once and tells the others their place in line.
   */
  asksHosts?: boolean;
  /** On Slack the command word may be left out: `/migrate VM HOST` means `/migrate migrate VM HOST`. */
  slackShorthand?: boolean;
}

/** A command of the core: parse, authorize, run against the services, render. */
export interface CoreEntry extends EntryBase {
  kind: 'core';
  load: () => Promise<AnyCommandImpl>;
}

/** A group of subcommands (`livemig cpu baseline`, `livemig lab fault`). */
export interface GroupEntry extends EntryBase {
  kind: 'group';
  subcommands: readonly CommandEntry[];
}

/**
 * A command that runs a long-lived process of its own (the lab, the bot, the demo) and only makes
 * sense in a terminal; the CLI supplies its implementation by name.
 */
export interface ProcessEntry extends EntryBase {
  kind: 'process';
  process: ProcessCommandName;
  subcommands?: readonly ProcessEntry[];
}

export type CommandEntry = CoreEntry | GroupEntry | ProcessEntry;

export type ProcessCommandName = 'lab' | 'lab fault' | 'serve' | 'start';

/** The faults `livemig lab fault` injects (its help lists them). */
export const labFaultWords =
  'HOST down | HOST hang | HOST slow MS | HOST lossy P | HOST auth-fail | HOST rekey | ' +
  'HOST nova-compute-down | any fail-migration VM preparing|copying|switchover [MESSAGE] | HOST|all clear';

const everywhere: readonly Surface[] = ['cli', 'slack'];
const cliOnly: readonly Surface[] = ['cli'];

const vmArg: ArgSpec = { name: 'VM', description: 'VM name or UUID' };
const hostArg: ArgSpec = { name: 'HOST', description: 'destination hypervisor (inventory name)' };
const migrationFlags: readonly FlagSpec[] = [
  { name: 'block-migrate', description: 'copy local disks too (nova --block-migrate)' },
  {
    name: 'accept-downtime',
    value: 'DURATION',
    description:
      'accept pausing the guest this long (45s, 2m) when the predicted pause exceeds the downtime budget',
  },
];
const yesFlag = (what: string): FlagSpec => ({
  name: 'yes',
  description: `${what} without asking (required when not on a terminal)`,
  surfaces: cliOnly,
});

/** Every command, in the order help lists them. */
export const commandRegistry: readonly CommandEntry[] = [
  {
    kind: 'core',
    name: 'migrate',
    asksHosts: true,
    summary: 'check and live-migrate VM to HOST (on Slack an approver starts it)',
    args: [vmArg, hostArg],
    flags: [yesFlag('approve'), ...migrationFlags],
    audience: 'requesters',
    surfaces: everywhere,
    slackShorthand: true,
    load: async () => (await import('./migrate.js')).migrateCommand,
  },
  {
    kind: 'core',
    name: 'check',
    asksHosts: true,
    summary: 'run the pre-flight checks of a migration without migrating',
    args: [vmArg, hostArg],
    flags: [...migrationFlags, { name: 'verbose', description: 'list every check, passes included' }],
    audience: 'everyone',
    surfaces: everywhere,
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    kind: 'core',
    name: 'reboot',
    summary: 'HARD-reboot a VM so it boots with the configured CPU model (on Slack an approver runs it)',
    args: [vmArg],
    flags: [
      yesFlag('reboot'),
      {
        name: 'force',
        description: 'reboot even when the VM already runs the configured CPU model',
        surfaces: cliOnly,
      },
    ],
    audience: 'requesters',
    surfaces: everywhere,
    load: async () => (await import('./reboot.js')).rebootCommand,
  },
  {
    kind: 'core',
    name: 'drain',
    asksHosts: true,
    summary:
      'empty hypervisors for maintenance: plan where every VM goes, then disable nova-compute there and move them',
    args: [{ name: 'HOST', description: 'hypervisor(s) to empty', variadic: true }],
    flags: [
      yesFlag('drain'),
      { name: 'to', value: 'HOST,…', description: 'move VMs only to these hypervisors' },
      migrationFlags[1]!,
      {
        name: 'continue-on-failure',
        description: 'go on starting moves after one failed (default: stop new starts)',
      },
      { name: 'dry-run', description: 'show the plan and change nothing' },
    ],
    audience: 'approvers',
    // On a terminal the operator's confirmation is the approval; on Slack another approver's.
    surfaces: everywhere,
    load: async () => (await import('./drain.js')).drainCommand,
  },
  {
    kind: 'core',
    name: 'undrain',
    summary: 'enable nova-compute on a drained hypervisor again (after the maintenance)',
    args: [{ name: 'HOST', description: 'the drained hypervisor' }],
    flags: [
      yesFlag('move VMs back'),
      {
        name: 'return',
        description:
          "also move back the VMs the host's last drain moved away (those still where it put them)",
      },
    ],
    audience: 'approvers',
    surfaces: everywhere,
    load: async () => (await import('./drain.js')).undrainCommand,
  },
  {
    kind: 'core',
    name: 'maintenance',
    asksHosts: true,
    summary:
      'rolling maintenance: drain each host in turn, wait for Done after its maintenance, undrain it, go on',
    args: [{ name: 'HOST', description: 'hypervisors to maintain, in this order', variadic: true }],
    flags: [
      yesFlag('start the campaign'),
      {
        name: 'done',
        value: 'HOST',
        description: "HOST's maintenance is done: undrain it and go on with the next host",
        surfaces: cliOnly,
      },
      {
        name: 'return',
        description: "on Done, also move back the VMs the host's drain moved away",
      },
      { name: 'to', value: 'HOST,…', description: 'move VMs only to these hypervisors' },
      migrationFlags[1]!,
      {
        name: 'continue-on-failure',
        description: 'go on starting moves after one failed (default: stop new starts)',
      },
    ],
    audience: 'approvers',
    surfaces: everywhere,
    load: async () => (await import('./maintenance.js')).maintenanceCommand,
  },
  {
    kind: 'core',
    name: 'cancel',
    summary: 'cancel a request, or a queued or running migration (yours; approvers: any)',
    args: [
      {
        name: 'ID',
        description:
          'request id (req-…), reboot request (rbt-…), migration id (mig-…), drain (drn-…) or maintenance (mnt-…)',
      },
    ],
    flags: [],
    audience: 'requesters',
    surfaces: everywhere,
    load: async () => (await import('./cancel.js')).cancelCommand,
  },
  {
    kind: 'core',
    name: 'status',
    summary: 'list running and queued migrations and requests awaiting approval',
    args: [],
    flags: [],
    audience: 'everyone',
    surfaces: everywhere,
    load: async () => (await import('./status.js')).statusCommand,
  },
  {
    kind: 'core',
    name: 'history',
    summary: 'list finished migrations (archived ones too), newest first',
    args: [],
    flags: [
      { name: 'limit', value: 'N', description: 'how many migrations to list (default 20)' },
      { name: 'vm', value: 'VM', description: 'only this VM (name or UUID)' },
    ],
    audience: 'everyone',
    surfaces: everywhere,
    load: async () => (await import('./history.js')).historyCommand,
  },
  {
    kind: 'core',
    name: 'hosts',
    asksHosts: true,
    summary: 'list the hypervisors with CPU model, free RAM and vCPUs, and nova-compute state',
    args: [],
    flags: [],
    audience: 'everyone',
    surfaces: everywhere,
    load: async () => (await import('./hosts.js')).hostsCommand,
  },
  {
    kind: 'core',
    name: 'baseline',
    asksHosts: true,
    summary: "compute the fleet's CPU baseline and the nova.conf lines that pin every host to it",
    args: [],
    flags: [],
    audience: 'everyone',
    surfaces: everywhere,
    load: async () => (await import('./baseline.js')).baselineCommand,
  },
  {
    kind: 'core',
    name: 'audit',
    asksHosts: true,
    summary: 'list nova.conf CPU drift and every VM that needs a hard reboot before it can migrate',
    args: [],
    flags: [],
    audience: 'everyone',
    surfaces: everywhere,
    load: async () => (await import('./audit.js')).auditCommand,
  },
  {
    kind: 'core',
    name: 'help',
    summary: 'list the commands you may run',
    args: [],
    flags: [],
    audience: 'everyone',
    // The CLI has commander's own `livemig help [command]`, built from these same entries.
    surfaces: ['slack'],
    load: async () => (await import('./help.js')).helpCommand,
  },
  {
    kind: 'group',
    name: 'cpu',
    summary: 'CPU model tools that work offline on XML files, like virsh',
    args: [],
    flags: [],
    audience: 'everyone',
    surfaces: cliOnly,
    subcommands: [
      {
        kind: 'core',
        name: 'baseline',
        summary:
          'print the CPU every listed host can run (virsh cpu-baseline), from <cpu> or capabilities XML',
        args: [
          {
            name: 'FILE',
            description: 'files with <cpu> elements or virsh capabilities documents',
            variadic: true,
          },
        ],
        flags: [
          { name: 'features', description: 'list the features of the model too' },
          { name: 'migratable', description: 'drop features that block migration' },
        ],
        audience: 'everyone',
        surfaces: cliOnly,
        load: async () => (await import('./cpu-baseline.js')).cpuBaselineCommand,
      },
      {
        kind: 'core',
        name: 'compare',
        summary: "can the guest's CPU run on the host? (virsh dumpxml vs virsh capabilities)",
        args: [
          {
            name: 'GUEST_XML',
            description: 'virsh dumpxml of the guest (use the live XML of a running guest)',
          },
          { name: 'HOST_XML', description: 'virsh capabilities of the destination host' },
        ],
        flags: [
          {
            name: 'boot-host',
            value: 'FILE',
            description: 'virsh capabilities of the host the guest booted on (host-model, host-passthrough)',
          },
        ],
        audience: 'everyone',
        surfaces: cliOnly,
        load: async () => (await import('./cpu-compare.js')).cpuCompareCommand,
      },
    ],
  },
  {
    kind: 'process',
    name: 'lab',
    process: 'lab',
    summary: 'run the embedded lab cluster over real SSH on 127.0.0.1 until Ctrl-C',
    args: [],
    flags: [
      {
        name: 'out',
        value: 'DIR',
        description: 'directory for livemig.yml, known_hosts, id_ed25519 and host keys',
        required: true,
      },
      { name: 'hosts', value: 'N', description: 'hypervisor count (default: the seed cluster, 10)' },
      {
        name: 'release',
        value: 'RELEASE',
        description:
          'nova release: icehouse, icehouse-patched, juno, kilo-or-later (default icehouse-patched)',
      },
      { name: 'speed', value: 'X', description: 'lab clock speed factor (default 1)' },
      { name: 'seed', value: 'N', description: 'seed for every random choice of the lab (default 1)' },
      {
        name: 'port',
        value: 'FIRST',
        description: 'first TCP port, then one per host (default: chosen by the system)',
      },
      {
        name: 'no-server-migration-api',
        description: "kilo-or-later: nova's server-migration API answers HTTP 404 (an older microversion)",
      },
    ],
    audience: 'everyone',
    surfaces: cliOnly,
    subcommands: [
      {
        kind: 'process',
        name: 'fault',
        process: 'lab fault',
        summary: `inject a fault into the lab running in --out DIR: ${labFaultWords}`,
        args: [
          { name: 'HOST', description: 'a lab host, or `any` / `all`' },
          { name: 'ACTION', description: 'the fault (or `clear`)' },
          { name: 'ARGS', description: "the fault's arguments", variadic: true, optional: true },
        ],
        flags: [{ name: 'out', value: 'DIR', description: 'the running lab directory' }],
        audience: 'everyone',
        surfaces: cliOnly,
      },
    ],
  },
  {
    kind: 'process',
    name: 'serve',
    process: 'serve',
    summary: 'run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP with SLACK_SIGNING_SECRET)',
    args: [],
    flags: [],
    audience: 'everyone',
    surfaces: cliOnly,
  },
  {
    kind: 'process',
    name: 'start',
    process: 'start',
    summary:
      'run the demo (lab + emulated Slack + bot, with a web page) until Ctrl-C; with Slack credentials, the bot',
    args: [],
    flags: [
      { name: 'port', value: 'N', description: "the demo page's port (default 3000; a free one when busy)" },
      { name: 'speed', value: 'X', description: 'lab clock speed factor (default 1)' },
      {
        name: 'dir',
        value: 'DIR',
        description: "keep the lab's files and the bot's store here (default: a temporary directory)",
      },
    ],
    audience: 'everyone',
    surfaces: cliOnly,
  },
];

/** The commands a surface offers, in help order. */
export function commandsOn(surface: Surface): CommandEntry[] {
  return commandRegistry.filter((entry) => entry.surfaces.includes(surface));
}

/** The flags of `entry` on `surface`. */
export function flagsOn(entry: CommandEntry, surface: Surface): FlagSpec[] {
  return entry.flags.filter((flag) => (flag.surfaces ?? entry.surfaces).includes(surface));
}

/** The usage line as typed on `surface`, e.g. `check VM HOST [--block-migrate]`. */
export function usageOf(entry: CommandEntry, surface: Surface): string {
  const args = entry.args.map((arg) => (arg.variadic ? `${arg.name}...` : arg.name));
  const flags = flagsOn(entry, surface).map((flag) => {
    const word = flag.value ? `--${flag.name} ${flag.value}` : `--${flag.name}`;
    return flag.required ? word : `[${word}]`;
  });
  const name = surface === 'slack' && entry.slackShorthand ? [] : [entry.name];
  return [...name, ...args, ...flags].join(' ');
}

/** What the caller's roles allow (config.approval and, on Slack, the user's groups). */
export interface CallerRoles {
  mayRequest: boolean;
  mayApprove: boolean;
}

/** Whether the caller's roles reach a command. */
export function allowed(entry: CommandEntry, roles: CallerRoles): boolean {
  return (
    entry.audience === 'everyone' ||
    (entry.audience === 'requesters' && roles.mayRequest) ||
    (entry.audience === 'approvers' && roles.mayApprove)
  );
}

/** The entry named `name` on `surface` (top level), if any. */
export function findCommand(name: string, surface: Surface): CommandEntry | undefined {
  return commandsOn(surface).find((entry) => entry.name === name);
}
