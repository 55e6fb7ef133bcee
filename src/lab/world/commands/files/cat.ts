import { renderCpuInfo } from '../../cpuinfo.js';
import { labCpu } from '../../host-cpu.js';
import { managementIp } from '../../model.js';
import { renderNovaConf } from '../../nova-conf.js';
import { type CommandHandler, ok } from '../command.js';

/** `cat FILE...` for the files the lab has: /proc/cpuinfo, /etc/nova/nova.conf, /etc/hostname. */
export const catCommand: CommandHandler = ({ state, host, args, request }) => {
  if (args.length === 0) return ok(request.stdin);
  let stdout = '';
  const errors: string[] = [];
  for (const file of args) {
    if (file === '/proc/cpuinfo') stdout += renderCpuInfo(labCpu(host.cpuName));
    else if (file === '/etc/hostname') stdout += `${host.name}\n`;
    else if (file === '/etc/nova/nova.conf') {
      // root:nova 0640 on Ubuntu's nova-common.
      if (request.sudo) stdout += renderNovaConf(host, managementIp(state, host.name), state.release);
      else errors.push(`cat: ${file}: Permission denied\n`);
    } else errors.push(`cat: ${file}: No such file or directory\n`);
  }
  return errors.length > 0 ? { stdout, stderr: errors.join(''), code: 1 } : ok(stdout);
};
