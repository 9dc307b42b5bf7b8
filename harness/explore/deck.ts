// Drawing without replacement ("dealing"): every item once, in a seeded
// random order, before any comes again. Explore deals fault kinds and knob
// values this way. A CI-sized budget holds few runs (2 minutes: about 8, 20
// faults or so), and drawn with replacement 20 faults from 12 kinds leave
// two kinds untried on average (12 x (11/12)^20); dealt, none.
import type { Random } from '../../generator/index.ts';

export class Deck<T> {
  private pile: T[] = [];
  private dealt = 0;

  constructor(
    private readonly items: readonly T[],
    private readonly random: Random,
  ) {
    if (items.length === 0) throw new Error('Deck: nothing to deal');
  }

  deal(): T {
    if (this.pile.length === 0) this.pile = this.random.shuffled(this.items);
    this.dealt++;
    return this.pile.pop()!;
  }

  /** Every item was dealt at least once. */
  get roundDone(): boolean {
    return this.dealt >= this.items.length;
  }
}
