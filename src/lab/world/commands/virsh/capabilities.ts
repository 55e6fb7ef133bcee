import { capabilitiesCpuXml } from '../../../../cpu/index.js';
import { labCpu } from '../../host-cpu.js';
import { type CommandHandler, ok } from '../command.js';

/** `virsh capabilities`: the host document with the CPU as libvirt names it. */
export const capabilities: CommandHandler = ({ host }) => {
  const cpu = labCpu(host.cpuName);
  const perSocket = cpu.cores * cpu.threads;
  const cells: string[] = [];
  const cellMemoryKib = (host.memoryMb * 1024) / cpu.sockets;
  for (let socket = 0; socket < cpu.sockets; socket++) {
    const cpus: string[] = [];
    for (let core = 0; core < cpu.cores; core++) {
      const first = socket * cpu.cores + core;
      const siblings = Array.from(
        { length: cpu.threads },
        (_, thread) => first + thread * cpu.sockets * cpu.cores,
      );
      for (const id of siblings) {
        cpus.push(
          `            <cpu id='${id}' socket_id='${socket}' die_id='0' core_id='${core}' siblings='${siblings.join(',')}'/>\n`,
        );
      }
    }
    cpus.sort((a, b) => Number(/id='(\d+)'/.exec(a)![1]) - Number(/id='(\d+)'/.exec(b)![1]));
    const distances = Array.from(
      { length: cpu.sockets },
      (_, other) => `            <sibling id='${other}' value='${other === socket ? 10 : 21}'/>\n`,
    ).join('');
    cells.push(
      `        <cell id='${socket}'>\n          <memory unit='KiB'>${cellMemoryKib}</memory>\n` +
        `          <pages unit='KiB' size='4'>${cellMemoryKib / 4}</pages>\n          <pages unit='KiB' size='2048'>0</pages>\n` +
        `          <distances>\n${distances}          </distances>\n` +
        `          <cpus num='${perSocket}'>\n${cpus.join('')}          </cpus>\n        </cell>\n`,
    );
  }
  return ok(
    `<capabilities>\n\n  <host>\n    <uuid>${host.uuid}</uuid>\n` +
      capabilitiesCpuXml(cpu.hostCpu, { indent: 4 }) +
      `    <power_management>\n      <suspend_mem/>\n      <suspend_disk/>\n      <suspend_hybrid/>\n    </power_management>\n` +
      `    <iommu support='no'/>\n    <migration_features>\n      <live/>\n      <uri_transports>\n` +
      `        <uri_transport>tcp</uri_transport>\n        <uri_transport>rdma</uri_transport>\n      </uri_transports>\n` +
      `    </migration_features>\n    <topology>\n      <cells num='${cpu.sockets}'>\n${cells.join('')}      </cells>\n    </topology>\n` +
      `    <secmodel>\n      <model>apparmor</model>\n      <doi>0</doi>\n    </secmodel>\n` +
      `    <secmodel>\n      <model>dac</model>\n      <doi>0</doi>\n      <baselabel type='kvm'>+64055:+108</baselabel>\n` +
      `      <baselabel type='qemu'>+64055:+108</baselabel>\n    </secmodel>\n  </host>\n\n` +
      `  <guest>\n    <os_type>hvm</os_type>\n    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n` +
      `      <emulator>/usr/bin/qemu-system-x86_64</emulator>\n      <machine maxCpus='255'>pc-i440fx-2.0</machine>\n` +
      `      <machine canonical='pc-i440fx-2.0' maxCpus='255'>pc</machine>\n      <domain type='qemu'/>\n` +
      `      <domain type='kvm'>\n        <emulator>/usr/bin/kvm</emulator>\n      </domain>\n    </arch>\n` +
      `    <features>\n      <cpuselection/>\n      <deviceboot/>\n      <disksnapshot default='on' toggle='no'/>\n` +
      `      <acpi default='on' toggle='yes'/>\n      <apic default='on' toggle='no'/>\n      <pae/>\n      <nonpae/>\n` +
      `    </features>\n  </guest>\n\n</capabilities>\n\n`,
  );
};
