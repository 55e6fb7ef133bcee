import { renderDomainXml } from '../../domain-xml.js';
import { type CommandHandler, ok } from '../command.js';
import { domainState, isReply, resolveDomain } from './domain-arg.js';

/** `virsh dumpxml [--inactive] DOMAIN`: the live definition of a running domain by default. */
export const dumpxml: CommandHandler = (context) => {
  const vm = resolveDomain(context);
  if (isReply(vm)) return vm;
  const live = !context.args.includes('--inactive') && domainState(vm) !== 'shut off';
  return ok(renderDomainXml(vm, context.host, context.state.release, live));
};
