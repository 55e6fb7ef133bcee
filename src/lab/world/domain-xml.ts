/**
 * `virsh dumpxml` of a nova instance: nova's domain definition (metadata, sysinfo, RBD or file
 * disks, config drive, console log) with the CPU in its persistent or live form.
 */
import type { NovaRelease } from '../../config/schema.js';
import type { GuestCpuDef, VmDisk, WorldHost, WorldVm } from './model.js';
import { instanceDirPath } from './model.js';

const NOVA_VERSION: Record<NovaRelease, string> = {
  icehouse: '2014.1.3',
  'icehouse-patched': '2014.1.3',
  juno: '2014.2.2',
  'kilo-or-later': '2015.1.1',
};

const CEPH_MONITORS = ['10.1.1.11', '10.1.1.12', '10.1.1.13'];
const RBD_SECRET_UUID = '457eb676-33da-42ec-9a8c-9293d545c337';

/** The `<cpu>` element, indented for its place in the domain. */
function guestCpuXml(cpu: GuestCpuDef, vm: WorldVm, withTopology: boolean): string {
  // libvirt keeps host-passthrough as it is in the live XML too: no model to expand.
  if (vm.persistentCpu.mode === 'host-passthrough' || cpu.mode === 'host-passthrough') {
    return "  <cpu mode='host-passthrough' check='none'/>\n";
  }
  if (cpu.mode === 'host-model') {
    return "  <cpu mode='host-model' check='partial'>\n    <model fallback='allow'/>\n  </cpu>\n";
  }
  const topology = withTopology ? `    <topology sockets='${vm.flavor.vcpus}' cores='1' threads='1'/>\n` : '';
  if (!cpu.expanded) {
    return `  <cpu mode='custom' match='exact'>\n    <model>${cpu.model}</model>\n${topology}  </cpu>\n`;
  }
  const vendor = cpu.vendor ? `    <vendor>${cpu.vendor}</vendor>\n` : '';
  const features = cpu.features.map((name) => `    <feature policy='require' name='${name}'/>\n`).join('');
  return `  <cpu mode='custom' match='exact' check='full'>\n    <model fallback='forbid'>${cpu.model}</model>\n${vendor}${topology}${features}  </cpu>\n`;
}

function diskXml(disk: VmDisk, live: boolean, index: number): string {
  const alias = (name: string): string => (live ? `      <alias name='${name}'/>\n` : '');
  if (disk.kind === 'rbd') {
    const hosts = CEPH_MONITORS.map((ip) => `        <host name='${ip}' port='6789'/>\n`).join('');
    return (
      `    <disk type='network' device='disk'>\n      <driver name='qemu' type='raw' cache='none'/>\n` +
      `      <auth username='cinder'>\n        <secret type='ceph' uuid='${RBD_SECRET_UUID}'/>\n      </auth>\n` +
      `      <source protocol='rbd' name='volumes/volume-${disk.volumeId}'>\n${hosts}      </source>\n` +
      `      <target dev='${disk.target}' bus='virtio'/>\n      <serial>${disk.volumeId}</serial>\n${alias(`virtio-disk${index}`)}` +
      `      <address type='pci' domain='0x0000' bus='0x00' slot='0x0${4 + index}' function='0x0'/>\n    </disk>\n`
    );
  }
  if (disk.device === 'cdrom') {
    return (
      `    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw' cache='none'/>\n` +
      `      <source file='${disk.path}'/>\n      <target dev='${disk.target}' bus='ide'/>\n      <readonly/>\n` +
      `${alias('ide0-1-1')}      <address type='drive' controller='0' bus='1' target='0' unit='1'/>\n    </disk>\n`
    );
  }
  return (
    `    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2' cache='none'/>\n` +
    `      <source file='${disk.path}'/>\n      <target dev='${disk.target}' bus='virtio'/>\n${alias(`virtio-disk${index}`)}` +
    `      <address type='pci' domain='0x0000' bus='0x00' slot='0x0${4 + index}' function='0x0'/>\n    </disk>\n`
  );
}

function macOf(uuid: string): string {
  const hex = uuid.replace(/-/g, '');
  return `fa:16:3e:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

/**
 * The domain XML. With the libvirt id of a running domain it is the live form (id, aliases,
 * expanded CPU); with null the persistent definition.
 */
export function renderDomainXml(
  vm: WorldVm,
  host: WorldHost,
  release: NovaRelease,
  liveId: number | null,
): string {
  const live = liveId !== null;
  const version = NOVA_VERSION[release];
  const memoryKib = vm.flavor.ramMb * 1024;
  const dir = instanceDirPath(vm.uuid);
  const withTopology = release !== 'icehouse' && release !== 'icehouse-patched';
  const cpu = live ? vm.liveCpu : vm.persistentCpu;
  const idAttr = live ? ` id='${liveId}'` : '';
  const portId = vm.uuid.slice(0, 11);
  return (
    `<domain type='kvm'${idAttr}>\n  <name>${vm.instanceName}</name>\n  <uuid>${vm.domainUuid}</uuid>\n` +
    `  <metadata>\n    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.0">\n` +
    `      <nova:package version="${version}"/>\n      <nova:name>${vm.name}</nova:name>\n` +
    `      <nova:creationTime>${new Date(vm.createdMs).toISOString().replace('T', ' ').slice(0, 19)}</nova:creationTime>\n` +
    `      <nova:flavor name="${vm.flavor.name}">\n        <nova:memory>${vm.flavor.ramMb}</nova:memory>\n` +
    `        <nova:disk>${vm.flavor.diskGb}</nova:disk>\n        <nova:swap>0</nova:swap>\n` +
    `        <nova:ephemeral>0</nova:ephemeral>\n        <nova:vcpus>${vm.flavor.vcpus}</nova:vcpus>\n      </nova:flavor>\n` +
    `      <nova:owner>\n        <nova:user uuid="${vm.userId}">admin</nova:user>\n` +
    `        <nova:project uuid="${vm.tenantId}">ops</nova:project>\n      </nova:owner>\n` +
    `    </nova:instance>\n  </metadata>\n` +
    `  <memory unit='KiB'>${memoryKib}</memory>\n  <currentMemory unit='KiB'>${memoryKib}</currentMemory>\n` +
    `  <vcpu placement='static'>${vm.flavor.vcpus}</vcpu>\n  <cputune>\n    <shares>${vm.flavor.vcpus * 1024}</shares>\n  </cputune>\n` +
    `  <sysinfo type='smbios'>\n    <system>\n      <entry name='manufacturer'>OpenStack Foundation</entry>\n` +
    `      <entry name='product'>OpenStack Nova</entry>\n      <entry name='version'>${version}</entry>\n` +
    `      <entry name='serial'>${host.uuid}</entry>\n      <entry name='uuid'>${vm.uuid}</entry>\n    </system>\n  </sysinfo>\n` +
    `  <os>\n    <type arch='x86_64' machine='pc-i440fx-2.0'>hvm</type>\n    <boot dev='hd'/>\n    <smbios mode='sysinfo'/>\n  </os>\n` +
    `  <features>\n    <acpi/>\n    <apic/>\n  </features>\n` +
    guestCpuXml(cpu, vm, withTopology) +
    `  <clock offset='utc'>\n    <timer name='pit' tickpolicy='delay'/>\n    <timer name='rtc' tickpolicy='catchup'/>\n` +
    `    <timer name='hpet' present='no'/>\n  </clock>\n` +
    `  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n` +
    `  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n` +
    vm.disks.map((disk, index) => diskXml(disk, live, index)).join('') +
    `    <interface type='bridge'>\n      <mac address='${macOf(vm.uuid)}'/>\n      <source bridge='qbr${portId}'/>\n` +
    `      <target dev='tap${portId}'/>\n      <model type='virtio'/>\n    </interface>\n` +
    `    <serial type='file'>\n      <source path='${dir}/console.log'/>\n      <target port='0'/>\n    </serial>\n` +
    `    <serial type='pty'>\n      <target port='1'/>\n    </serial>\n` +
    `    <input type='tablet' bus='usb'/>\n` +
    `    <graphics type='vnc' port='${live ? 5900 + liveId : -1}' autoport='yes' listen='0.0.0.0' keymap='en-us'/>\n` +
    `    <video>\n      <model type='cirrus' vram='9216' heads='1'/>\n    </video>\n` +
    `    <memballoon model='virtio'>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/>\n    </memballoon>\n` +
    `  </devices>\n</domain>\n`
  );
}
