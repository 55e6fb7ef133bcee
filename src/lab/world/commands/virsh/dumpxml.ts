import { renderDomainXml } from '../../domain-xml.js';
import { type CommandHandler, ok } from '../command.js';
import { isReply, resolveDomain } from './domain-arg.js';

/** `virsh dumpxml [--inactive] DOMAIN`: the live definition of a running domain by default. */
export const dumpxml: CommandHandler = (context) => {
  const domain = resolveDomain(context);
  if (isReply(domain)) return domain;
  const live = !context.args.includes('--inactive') && domain.state !== 'shut off';
  return ok(renderDomainXml(domain.vm, context.host, context.state.release, live ? domain.id : null));
};
