import { LivemigError } from '../../errors.js';
import { parseServerShow } from '../parse/nova-server.js';
import { RemoteCommandFailed, runChecked } from '../run-command.js';
import type { ClusterOperation, Server } from '../types.js';
import { checkServerName, uuidPattern } from '../validate.js';
import { listServers } from './list-servers.js';
import { novaCommand } from './nova-command.js';
import { showServer } from './show-server.js';

const notFoundPattern = /No server with a name or ID of/i;
const ambiguousPattern = /Multiple server matches found/i;

/**
 * Finds the server a user named (a UUID or a name) with `nova show`. The name reaches nova as ONE
 * argv element. Several servers with that name → LivemigError('ambiguous') listing each UUID and
 * host; none → LivemigError('not_found').
 */
export const resolveServer: ClusterOperation<{ nameOrUuid: string }, Server> = async (
  executor,
  controller,
  { nameOrUuid },
) => {
  const query = checkServerName(nameOrUuid);
  try {
    return parseServerShow(await runChecked(executor, controller, novaCommand('show', query)));
  } catch (error) {
    if (!(error instanceof RemoteCommandFailed)) throw error;
    const output = `${error.stderr}\n${error.stdout}`;
    if (notFoundPattern.test(output) || /\(HTTP 404\)/.test(output)) {
      throw new LivemigError('not_found', `no server named or with id "${query}"`, {
        hint: 'Check the name with `nova list`, or use the server UUID.',
      });
    }
    if (ambiguousPattern.test(output) && !uuidPattern.test(query)) {
      throw await ambiguity(executor, controller, query);
    }
    throw error;
  }
};

/** One of several servers sharing a name. */
export interface ServerCandidate {
  uuid: string;
  host: string | null;
  status: string;
}

/** LivemigError('ambiguous') that also carries the candidates, so a surface can offer them. */
export class AmbiguousServerError extends LivemigError {
  readonly candidates: ServerCandidate[];

  constructor(name: string, candidates: ServerCandidate[]) {
    const described = candidates.map((c) => `${c.uuid} on ${c.host ?? 'no host'} (${c.status})`);
    super('ambiguous', `${candidates.length} servers are named "${name}": ${described.join(', ')}`, {
      hint: 'Use the UUID of the one you mean.',
    });
    this.candidates = candidates;
  }
}

async function ambiguity(
  executor: Parameters<typeof resolveServer>[0],
  controller: string,
  name: string,
): Promise<AmbiguousServerError> {
  const matches = (await listServers(executor, controller, {})).filter((server) => server.name === name);
  const candidates = await Promise.all(
    matches.map(async (match) => {
      const server = await showServer(executor, controller, { uuid: match.uuid });
      return { uuid: server.uuid, host: server.host, status: server.status };
    }),
  );
  return new AmbiguousServerError(name, candidates);
}
