/**
 * /etc/nova/nova.conf of a host: the seed's baseline change (`cpu_mode=custom`,
 * `cpu_model=Westmere`) already applied, and the release's defaults written out (the seed's
 * patched Icehouse with VIR_MIGRATE_LIVE added, stock Icehouse without it).
 */
import type { NovaRelease } from '../../config/schema.js';
import type { WorldHost } from './model.js';
import { releaseRules } from './release.js';
import { BASELINE_CPU_MODEL } from './topology.js';

const FLAGS_WITHOUT_LIVE = 'VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER';
const FLAGS_WITH_LIVE = 'VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_LIVE';

/** The file's text for `host`. */
export function renderNovaConf(host: WorldHost, managementAddress: string, release: NovaRelease): string {
  const modern = release === 'kilo-or-later';
  const lines = [
    '[DEFAULT]',
    'debug = False',
    'verbose = True',
    'state_path = /var/lib/nova',
    'instances_path = /var/lib/nova/instances',
    'lock_path = /var/lock/nova',
    'log_dir = /var/log/nova',
    `my_ip = ${managementAddress}`,
    'auth_strategy = keystone',
    'rpc_backend = rabbit',
    'rabbit_host = control01',
    'glance_host = control01',
  ];
  if (host.role === 'controller') {
    lines.push(
      'scheduler_driver = nova.scheduler.filter_scheduler.FilterScheduler',
      'ram_allocation_ratio = 1.0',
      'cpu_allocation_ratio = 4.0',
      '',
      '[database]',
      'connection = mysql://nova:********@control01/nova',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push('compute_driver = libvirt.LibvirtDriver', 'force_config_drive = False');
  if (modern) lines.push('config_drive_format = vfat', 'max_concurrent_live_migrations = 1');
  lines.push(
    '',
    '[libvirt]',
    'virt_type = kvm',
    'cpu_mode = custom',
    `cpu_model = ${BASELINE_CPU_MODEL}`,
    'live_migration_uri = qemu+tcp://%s/system',
    `live_migration_flag = ${releaseRules(release).liveFlag ? FLAGS_WITH_LIVE : FLAGS_WITHOUT_LIVE}`,
    'rbd_user = cinder',
    'rbd_secret_uuid = 457eb676-33da-42ec-9a8c-9293d545c337',
  );
  if (modern) {
    lines.push(
      // Liberty and later keep new config drives in Ceph; VMs booted before keep their local file.
      'images_type = rbd',
      'images_rbd_pool = vms',
      'live_migration_bandwidth = 0',
      'live_migration_downtime = 500',
      'live_migration_downtime_steps = 10',
      'live_migration_downtime_delay = 75',
      'live_migration_completion_timeout = 800',
    );
  }
  lines.push('', '[cinder]', 'catalog_info = volume:cinder:internalURL');
  return `${lines.join('\n')}\n`;
}
