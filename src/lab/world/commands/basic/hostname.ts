import { type CommandHandler, ok } from '../command.js';

/** `hostname [-f]`: the inventory name (or its FQDN). */
export const hostnameCommand: CommandHandler = ({ host, args }) =>
  ok(args.includes('-f') || args.includes('--fqdn') ? `${host.name}.example.com\n` : `${host.name}\n`);
