import { z } from 'zod';

/** Inventory host names reach remote commands, so they are held to a strict pattern. */
export const hostNamePattern = /^[a-z0-9][a-z0-9.-]{0,62}$/i;

const hostName = z.string().regex(hostNamePattern, 'a host name (letters, digits, dots and dashes)');
const port = z.number().int().min(1).max(65535);

/** An address is one token: a blank or padded one would fail only at connect time, on one host. */
const address = z.string().regex(/^\S+$/, 'an IP address or DNS name (not blank, no spaces)');

const sshEndpoint = z.strictObject({
  name: hostName,
  address,
  port: port.default(22),
});

const hypervisor = sshEndpoint.extend({
  /** Link speed between this hypervisor and the others, for migration time predictions. */
  linkMiBps: z.number().positive().optional(),
});

const fingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'an OpenSSH fingerprint like SHA256:abc…');

const principals = z
  .strictObject({
    users: z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user ID like U012ABC')).default([]),
    groups: z.array(z.string().regex(/^S[A-Z0-9]+$/, 'a Slack user group ID like S012ABC')).default([]),
  })
  .default({ users: [], groups: [] });

export const configSchema = z.strictObject({
  cluster: z
    .strictObject({
      controller: sshEndpoint,
      hypervisors: z.array(hypervisor).min(1, 'at least one hypervisor'),
      /** Default link speed when a hypervisor has no linkMiBps: 1 GbE moves ~117 MiB/s at best. */
      linkMiBps: z.number().positive().default(117),
    })
    .superRefine(refuseAmbiguousInventory),
  ssh: z
    .strictObject({
      user: z.string().min(1).default('root'),
      privateKeyPath: z.string().min(1).optional(),
      /** Use the ssh-agent at SSH_AUTH_SOCK instead of (or besides) a key file. */
      useAgent: z.boolean().default(false),
      knownHostsPath: z.string().min(1).optional(),
      /** Pinned host keys by inventory host name; checked instead of known_hosts for that host. */
      hostKeyFingerprints: z.record(z.string(), fingerprint).default({}),
      jumpHost: z
        .strictObject({
          address,
          port: port.default(22),
          user: z.string().min(1).optional(),
        })
        .optional(),
      /** Prefix every remote command with `sudo -n` (for a non-root SSH user). */
      sudo: z.boolean().default(false),
    })
    .refine((s) => s.privateKeyPath !== undefined || s.useAgent, {
      message: 'set privateKeyPath or useAgent: true',
    })
    .refine((s) => s.knownHostsPath !== undefined || Object.keys(s.hostKeyFingerprints).length > 0, {
      message: 'set knownHostsPath or hostKeyFingerprints: livemig never trusts an unknown host key',
    }),
  nova: z
    .strictObject({
      release: z.enum(['icehouse', 'icehouse-patched', 'juno', 'kilo-or-later']).default('kilo-or-later'),
      instancesPath: z.string().startsWith('/').default('/var/lib/nova/instances'),
      /** nova.conf live_migration_downtime (ms): the stop-and-copy limit predictions use. */
      maxDowntimeMs: z.number().int().positive().default(500),
      /** nova.conf live_migration_completion_timeout (s per GiB of RAM; 0 = off). */
      completionTimeoutSecPerGiB: z.number().int().min(0).default(800),
    })
    .default({
      release: 'kilo-or-later',
      instancesPath: '/var/lib/nova/instances',
      maxDowntimeMs: 500,
      completionTimeoutSecPerGiB: 800,
    }),
  slack: z
    .strictObject({
      requestChannel: z.string().min(1).optional(),
      notificationChannel: z.string().min(1).optional(),
    })
    .default({}),
  approval: z
    .strictObject({
      requesters: principals,
      approvers: principals,
      twoPersonRule: z.boolean().default(true),
      expiryMinutes: z.number().int().positive().default(60),
    })
    .default({
      requesters: { users: [], groups: [] },
      approvers: { users: [], groups: [] },
      twoPersonRule: true,
      expiryMinutes: 60,
    }),
  limits: z
    .strictObject({
      maxConcurrentMigrations: z.number().int().positive().default(4),
      maxMigrationsPerSourceHost: z.number().int().positive().default(1),
      maxMigrationsPerDestinationHost: z.number().int().positive().default(2),
      maxConcurrentChecks: z.number().int().positive().default(4),
      sshMaxChannels: z.number().int().positive().default(64),
      sshMaxChannelsPerHost: z.number().int().positive().default(8),
      sshMaxChannelsPerConnection: z.number().int().positive().default(10),
      sshConnectTimeoutMs: z.number().int().positive().default(10_000),
      sshCommandTimeoutMs: z.number().int().positive().default(60_000),
      sshIdleTimeoutMs: z.number().int().positive().default(60_000),
      sshMaxOutputBytes: z
        .number()
        .int()
        .positive()
        .default(4 * 1024 * 1024),
      migrationPollIntervalMs: z.number().int().positive().default(2_000),
      /** How long a migration whose hosts stopped answering is retried before it is left as unknown. */
      contactLostGiveUpMs: z.number().int().positive().default(600_000),
    })
    .default({
      maxConcurrentMigrations: 4,
      maxMigrationsPerSourceHost: 1,
      maxMigrationsPerDestinationHost: 2,
      maxConcurrentChecks: 4,
      sshMaxChannels: 64,
      sshMaxChannelsPerHost: 8,
      sshMaxChannelsPerConnection: 10,
      sshConnectTimeoutMs: 10_000,
      sshCommandTimeoutMs: 60_000,
      sshIdleTimeoutMs: 60_000,
      sshMaxOutputBytes: 4 * 1024 * 1024,
      migrationPollIntervalMs: 2_000,
      contactLostGiveUpMs: 600_000,
    }),
  dataDir: z.string().min(1).default('./data'),
  /** Finished migrations and requests older than this move to the archive file. */
  archiveAfterDays: z.number().positive().default(30),
});

/**
 * Host names are how users and the store name hosts, so each must mean one machine: a hypervisor
 * listed twice, or a controller sharing a hypervisor's name, would make every check and every
 * command on that name ambiguous.
 */
function refuseAmbiguousInventory(
  cluster: { controller: { name: string }; hypervisors: { name: string }[] },
  context: z.RefinementCtx,
): void {
  const firstIndex = new Map<string, number>();
  cluster.hypervisors.forEach((entry, index) => {
    const name = entry.name.toLowerCase();
    const earlier = firstIndex.get(name);
    if (earlier === undefined) firstIndex.set(name, index);
    else {
      context.addIssue({
        code: 'custom',
        path: ['hypervisors', index, 'name'],
        message: `${entry.name} is listed twice (also hypervisors.${earlier})`,
      });
    }
  });
  const clash = firstIndex.get(cluster.controller.name.toLowerCase());
  if (clash !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['controller', 'name'],
      message: `${cluster.controller.name} is also the name of hypervisors.${clash}: give the controller its own name`,
    });
  }
}

export type Config = z.infer<typeof configSchema>;
export type NovaRelease = Config['nova']['release'];
export type HypervisorEntry = Config['cluster']['hypervisors'][number];
export type SshEndpoint = Config['cluster']['controller'];
