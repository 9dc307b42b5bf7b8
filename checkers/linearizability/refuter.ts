// "Is this history certainly not linearizable?" under a budget: the question
// the shrinker asks of every candidate reduction. Only a finished search that
// found no order says yes; a search cut short by the budget says no, so the
// shrinker keeps nothing it has not proven. Budgets in search steps keep the
// answers the same on every machine; the wall-clock and check-count limits
// only end the shrinking early.
import type { Op } from '../../history/index.ts';
import type { Model } from '../models/model.ts';
import { prepare } from './prepare.ts';
import { WglSearch } from './search.ts';
import { RoundRobin, startRuns } from './check.ts';

export interface RefuterBudget {
  /** Most searches in all. */
  maxChecks: number;
  /** performance.now() after which no search starts and a running one stops. */
  deadline: number;
  /** Most search steps per history. */
  stepsPerCheck: number;
  /** Memory of one search's caches. */
  maxMemoryBytes: number;
}

/** Steps between looks at the clock. */
const SLICE = 20_000;

export class Refuter {
  /** Searches run. */
  checks = 0;
  /** Searches that ended without a verdict (steps, memory or time ran out). */
  undecided = 0;
  /** Steps the last search took. */
  lastSteps = 0;

  constructor(
    private readonly model: Model,
    readonly budget: RefuterBudget,
  ) {}

  /** Set once the budget stopped a search from starting: the shrinking ended early. */
  ranOut = false;

  /** Whether another search may start (false once the checks or the time are spent). */
  mayContinue(): boolean {
    if (this.checks >= this.budget.maxChecks || performance.now() > this.budget.deadline) this.ranOut = true;
    return !this.ranOut;
  }

  /** True only when a search proved `history` not linearizable (within `maxSteps` steps per partition). */
  refutes(history: readonly Op[], maxSteps = this.budget.stepsPerCheck): boolean {
    if (!this.mayContinue()) return false;
    this.checks++;
    this.lastSteps = 0;
    for (const p of prepare(history, this.model).partitions) {
      const search = new WglSearch(p.model, p.ops, this.budget.maxMemoryBytes);
      let status = search.run(SLICE);
      while (status === 'running' && search.steps < maxSteps && performance.now() <= this.budget.deadline) status = search.run(SLICE);
      this.lastSteps += search.steps;
      if (status === 'invalid') return true;
      if (status !== 'valid') this.undecided++;
    }
    return false;
  }

  /**
   * The key of a partition whose ops alone cannot be ordered, searching all
   * partitions side by side as the checker does (the first refuted wins);
   * undefined when none was refuted within the time left.
   */
  failingKey(history: readonly Op[]): string | null | undefined {
    if (!this.mayContinue()) return undefined;
    this.checks++;
    const runs = startRuns(prepare(history, this.model).partitions, { maxMemoryBytes: this.budget.maxMemoryBytes });
    new RoundRobin(runs, this.budget.deadline).work();
    return runs.find((r) => r.status === 'invalid')?.partition.key;
  }
}
