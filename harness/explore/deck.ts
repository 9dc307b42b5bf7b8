// Drawing without replacement ("dealing"): every item once, in a seeded
// random order, before any comes again (a first round given as groups may
// deal an item twice). Explore deals fault kinds and knob
// values this way. A CI-sized budget holds few runs (2 minutes: about 8, 20
// faults or so), and drawn with replacement 20 faults from 12 kinds leave
// two kinds untried on average (12 x (11/12)^20); dealt, none.
import type { Random } from '../../generator/index.ts';

export class Deck<T> {
  private pile: T[];
  private dealt = 0;
  private readonly firstRoundLength: number;

  /**
   * `firstRound`: what the first round deals instead of `items`, group after group (each in seeded order;
   * an item may come in more than one group); later rounds deal `items`, mixed.
   */
  constructor(
    private readonly items: readonly T[],
    private readonly random: Random,
    firstRound?: readonly (readonly T[])[],
  ) {
    if (items.length === 0) throw new Error('Deck: nothing to deal');
    if (firstRound && items.some((i) => !firstRound.some((group) => group.includes(i)))) throw new Error('Deck: the first round leaves an item out');
    // The pile is dealt from its end.
    this.pile = firstRound ? [...firstRound].reverse().flatMap((group) => random.shuffled(group)) : [];
    this.firstRoundLength = firstRound ? this.pile.length : items.length;
  }

  deal(): T {
    if (this.pile.length === 0) this.pile = this.random.shuffled(this.items);
    this.dealt++;
    return this.pile.pop()!;
  }

  /**
   * Take back an item dealt but not used (explore: a fault of a schedule that the run ended before it
   * started); it is dealt next, and the round is not done until it is dealt again.
   */
  putBack(item: T): void {
    this.pile.push(item);
    this.dealt--;
  }

  /** The first round was dealt whole: every item at least once. */
  get roundDone(): boolean {
    return this.dealt >= this.firstRoundLength;
  }
}
