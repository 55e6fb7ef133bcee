import type { ErrorCode } from '../../../errors.js';
import { type CheckResult, resultFor } from '../check.js';
import type { Gathered, PreflightFacts } from '../facts.js';

/** What each gathered fact is needed for, in the words of the checklist. */
const factPurposes = {
  domain: 'the domain XML',
  guestCpu: 'the guest CPU',
  sourceHostCpu: 'the source host CPU',
  destinationHostCpu: 'the destination host CPU',
  sourceNovaConf: 'nova.conf of the source',
  destinationNovaConf: 'nova.conf of the destination',
  destinationHypervisor: 'capacity of the destination (hypervisor-show)',
  computeServices: 'nova-compute state (service-list)',
  destinationInstanceDir: 'the instance directory',
  destinationDomains: 'domains on the destination',
} as const satisfies Partial<Record<keyof PreflightFacts, string>>;

/**
 * Every host livemig had to ask answered. A host that did not is a block naming the host and its
 * error (not a crash); the checks that needed its answers are left out of the list.
 */
export function checkHostsAnswered(facts: PreflightFacts): CheckResult | null {
  const check = resultFor('hosts-answered', 'Hosts answered');
  const failures = new Map<string, { code: ErrorCode; error: string; needed: string[] }>();
  for (const [key, purpose] of Object.entries(factPurposes)) {
    const fact = facts[key as keyof typeof factPurposes] as Gathered<unknown>;
    if (fact.state !== 'failed') continue;
    const entry = failures.get(fact.host) ?? { code: fact.code, error: fact.error, needed: [] };
    entry.needed.push(purpose);
    failures.set(fact.host, entry);
  }
  if (failures.size === 0) {
    // Without the server there was nobody else to ask; the vm check says why.
    return facts.server.state === 'known' ? check.pass('Every host livemig asked answered.') : null;
  }
  const lines = [...failures].map(([host, { code, error, needed }]) => {
    const what = code.startsWith('ssh_') ? 'could not be reached' : 'failed';
    return `${host} ${what}: ${error} (needed for ${needed.join(', ')})`;
  });
  return check.block(
    lines.join('\n'),
    'Check that the hosts are up and reachable over SSH, then run the check again.',
  );
}
