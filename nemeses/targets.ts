// Which nodes a process or clock fault hits (Jepsen's node specs). Pure.
import type { Random } from '../generator/index.ts';
import { majority, shuffle } from './grudge.ts';

export const TARGETS = ['one', 'leader', 'minority', 'majority', 'all'] as const;
export type Target = (typeof TARGETS)[number];

/**
 * one: a random node; leader: the node leading right now (asked just before
 * the fault); minority: a random set smaller than a majority (at least one
 * node); majority: a random majority; all: every node.
 */
export function pickTargets(target: Target, nodes: readonly string[], random: Random, leader?: string): string[] {
  switch (target) {
    case 'one':
      return [random.pick(nodes)];
    case 'leader':
      if (leader === undefined) throw new Error('no leader to target');
      return [leader];
    case 'minority':
      return shuffle(nodes, random).slice(0, Math.max(1, majority(nodes.length) - 1));
    case 'majority':
      return shuffle(nodes, random).slice(0, majority(nodes.length));
    case 'all':
      return [...nodes];
  }
}

/** A random non-empty subset (clock faults hit some nodes, like Jepsen's). */
export function someNodes(nodes: readonly string[], random: Random): string[] {
  return shuffle(nodes, random).slice(0, 1 + random.int(nodes.length));
}
