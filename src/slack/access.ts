/**
 * Who may request and who may approve, from config.approval: user IDs directly, user groups via
 * usergroups.users.list (cached briefly: Tier 2 allows ~20 calls a minute). An empty requesters
 * list lets everyone request; an empty approvers list lets nobody approve.
 */
import type { CallerRoles } from '../../commands/registry.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../util/clock.js';

type Principals = Config['approval']['requesters'];

/** Whether `userId` is one of `principals`, given the members of their groups. Pure. */
export function isPrincipal(
  principals: Principals,
  userId: string,
  membersOf: (group: string) => readonly string[],
): boolean {
  return (
    principals.users.includes(userId) || principals.groups.some((group) => membersOf(group).includes(userId))
  );
}

export interface SlackAccessOptions {
  approval: Config['approval'];
  /** Members of a group; null when Slack could not answer (the group then counts as empty). */
  fetchMembers: (groupId: string) => Promise<string[] | null>;
  clock: Clock;
  cacheMs?: number;
}

export class SlackAccess {
  readonly #options: SlackAccessOptions;
  readonly #cache = new Map<string, { members: string[]; at: number }>();
  readonly #inFlight = new Map<string, Promise<string[]>>();

  constructor(options: SlackAccessOptions) {
    this.#options = options;
  }

  /** The caller's roles now. */
  async rolesOf(userId: string): Promise<CallerRoles> {
    const { approval } = this.#options;
    const groups = [...new Set([...approval.requesters.groups, ...approval.approvers.groups])];
    const members = new Map(await Promise.all(groups.map(async (g) => [g, await this.#members(g)] as const)));
    const membersOf = (group: string) => members.get(group) ?? [];
    const everyoneRequests =
      approval.requesters.users.length === 0 && approval.requesters.groups.length === 0;
    return {
      mayRequest: everyoneRequests || isPrincipal(approval.requesters, userId, membersOf),
      mayApprove: isPrincipal(approval.approvers, userId, membersOf),
    };
  }

  #members(group: string): Promise<string[]> {
    const cached = this.#cache.get(group);
    const now = this.#options.clock.now();
    if (cached && now - cached.at < (this.#options.cacheMs ?? 60_000)) return Promise.resolve(cached.members);
    const pending = this.#inFlight.get(group);
    if (pending) return pending;
    const fetching = this.#options.fetchMembers(group).then((members) => {
      this.#inFlight.delete(group);
      // A failed lookup is not cached: the next click asks again.
      if (members !== null) this.#cache.set(group, { members, at: this.#options.clock.now() });
      return members ?? cached?.members ?? [];
    });
    this.#inFlight.set(group, fetching);
    return fetching;
  }
}
