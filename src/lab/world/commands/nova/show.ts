import { createHash } from 'node:crypto';
import { formatPropertyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { findServer, isoSeconds, isReply, powerState, serverStatus, usageError } from './server-view.js';

/** `nova show SERVER`: the Property | Value table. */
export const show: CommandHandler = ({ state, args, nowMs }) => {
  const [server] = args;
  if (server === undefined) return usageError('show [--minimal] <server>', 'too few arguments', 'show');
  const vm = findServer(state, server);
  if (isReply(vm)) return vm;
  const [network = '', address = ''] = vm.networks.split('=');
  const volumes = vm.disks.flatMap((disk) => (disk.kind === 'rbd' ? [`{"id": "${disk.volumeId}"}`] : []));
  const properties: Record<string, string> = {
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': 'nova',
    'OS-EXT-SRV-ATTR:host': vm.host,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': `${vm.host}.example.com`,
    'OS-EXT-SRV-ATTR:instance_name': vm.instanceName,
    'OS-EXT-STS:power_state': String(powerState(vm).code),
    'OS-EXT-STS:task_state': vm.taskState ?? '-',
    'OS-EXT-STS:vm_state': vm.vmState,
    'OS-SRV-USG:launched_at': `${new Date(vm.createdMs + 41_000).toISOString().slice(0, 23)}000`,
    'OS-SRV-USG:terminated_at': '-',
    accessIPv4: '',
    accessIPv6: '',
    config_drive: vm.configDrive ? 'True' : '',
    created: isoSeconds(vm.createdMs),
    flavor: `${vm.flavor.name} (${vm.flavor.id})`,
    hostId: createHash('sha224').update(`${vm.tenantId}${vm.host}`).digest('hex'),
    id: vm.uuid,
    image: vm.disks.some((disk) => disk.kind === 'rbd' && disk.target === 'vda')
      ? 'Attempt to boot from volume - no image supplied'
      : 'ubuntu-14.04-server (0b3a4bde-56b2-4ec2-9e9e-1c5b8e9c3f52)',
    key_name: 'ops',
    metadata: '{}',
    name: vm.name,
    'os-extended-volumes:volumes_attached': `[${volumes.join(', ')}]`,
    progress: '0',
    security_groups: 'default',
    status: serverStatus(vm),
    tenant_id: vm.tenantId,
    updated: isoSeconds(nowMs),
    user_id: vm.userId,
    [`${network} network`]: address,
  };
  if (vm.vmState === 'error') {
    properties.fault = `{"message": "Instance crashed after live migration", "code": 500, "created": "${isoSeconds(nowMs)}"}`;
  }
  return ok(formatPropertyTable(properties));
};
