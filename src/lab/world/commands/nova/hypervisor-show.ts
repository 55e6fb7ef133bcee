import { managementIp } from '../../model.js';
import { commandError } from '../../nova-errors.js';
import { usedRamMb } from '../../precheck.js';
import { formatPropertyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { cpuInfoJson, hypervisorId, hypervisors } from './hypervisor-view.js';
import { usageError } from './server-view.js';

/** `nova hypervisor-show HOST` (by id, host name or hypervisor hostname). */
export const hypervisorShow: CommandHandler = ({ state, args }) => {
  const [wanted] = args;
  if (wanted === undefined)
    return usageError('hypervisor-show <hypervisor>', 'too few arguments', 'hypervisor-show');
  const host = hypervisors(state).find(
    (candidate) =>
      candidate.name === wanted ||
      `${candidate.name}.example.com` === wanted ||
      String(hypervisorId(state, candidate)) === wanted,
  );
  if (!host) return commandError(`No hypervisor with a name or ID of '${wanted}' exists.`);
  const guests = state.vms.filter((vm) => vm.host === host.name);
  const usedMb = usedRamMb(state, host.name) + 512;
  const usedDiskGb = guests.reduce(
    (sum, vm) => sum + (vm.disks.some((disk) => disk.kind === 'file') ? vm.flavor.diskGb : 0),
    0,
  );
  const index = state.hosts.indexOf(host);
  return ok(
    formatPropertyTable({
      cpu_info: cpuInfoJson(host),
      current_workload: '0',
      disk_available_least: String(1800 - usedDiskGb),
      free_disk_gb: String(1832 - usedDiskGb),
      free_ram_mb: String(host.memoryMb - usedMb),
      host_ip: managementIp(state, host.name),
      hypervisor_hostname: `${host.name}.example.com`,
      hypervisor_type: 'QEMU',
      hypervisor_version: '2000000',
      id: String(hypervisorId(state, host)),
      local_gb: '1832',
      local_gb_used: String(usedDiskGb),
      memory_mb: String(host.memoryMb),
      memory_mb_used: String(usedMb),
      running_vms: String(guests.filter((vm) => vm.domainId !== null).length),
      service_disabled_reason: host.disabledReason || '-',
      service_host: host.name,
      service_id: String(index + 4),
      state: host.computeDown ? 'down' : 'up',
      status: host.disabledReason === undefined ? 'enabled' : 'disabled',
      vcpus: String(host.vcpus),
      vcpus_used: String(guests.reduce((sum, vm) => sum + vm.flavor.vcpus, 0)),
    }),
  );
};
