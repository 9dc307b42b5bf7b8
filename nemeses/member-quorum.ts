// Pure rules of the member nemesis: which member may leave without costing
// the cluster its quorum, and how far a cluster shrinks. Membership is kept
// between MIN_MEMBERS and the cluster's node count.
import { UserError } from '../history/index.ts';

/** Never fewer members than this: three is the smallest cluster that survives one failure. */
export const MIN_MEMBERS = 3;

export const majority = (n: number): number => Math.floor(n / 2) + 1;

/**
 * Whether `victim` may be removed: the members left must still hold a
 * majority of live ones among themselves, and no fewer than MIN_MEMBERS
 * remain (a readd or replace, which adds the member straight back, passes 2: for that
 * moment both others must be live). Returns the reason when not.
 */
export function removalRefusal(members: readonly string[], live: ReadonlySet<string>, victim: string, minMembers = MIN_MEMBERS): string | undefined {
  if (!members.includes(victim)) return `${victim} is not a member`;
  const rest = members.filter((m) => m !== victim);
  if (rest.length < minMembers) return `removing ${victim} would leave ${rest.length} members, fewer than ${minMembers}`;
  const liveRest = rest.filter((m) => live.has(m)).length;
  if (liveRest < majority(rest.length)) return `removing ${victim} would leave ${liveRest} live of ${rest.length} members, short of a quorum of ${majority(rest.length)}`;
  return undefined;
}

/** How many members a shrink removes from a cluster of `members`: down to MIN_MEMBERS, at most two. */
export const shrinkBy = (members: number): number => Math.max(0, Math.min(2, members - MIN_MEMBERS));

/** The member nemesis needs at least MIN_MEMBERS nodes; a shrink needs one more, to have something to remove. */
export function checkMemberNodes(variants: readonly string[], nodeCount: number): void {
  if (variants.length > 0 && nodeCount < MIN_MEMBERS) throw new UserError(`member needs at least ${MIN_MEMBERS} nodes, the cluster has ${nodeCount}`, 'Run it with --nodes 3 or more.');
  if (variants.includes('shrink') && variants.every((v) => v === 'shrink') && nodeCount <= MIN_MEMBERS) {
    throw new UserError(`member-shrink keeps at least ${MIN_MEMBERS} members, so it needs --nodes 4 or 5; the cluster has ${nodeCount}`);
  }
}
