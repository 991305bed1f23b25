/**
 * A credit allowance over a sliding window: at most `limit` credits in any `windowMs`, burst included.
 * Spending is recorded in `SLOTS` time slots; a slot's credits come back once the whole window has
 * passed after the slot ended, so the bound holds for every window (it refills up to one slot late,
 * never early). A fixed-window limiter would let a client spend twice its limit across a boundary,
 * and a token bucket refilled at limit/window lets it spend the bucket plus the refill.
 */

export const SLOTS = 60;

export class CreditWindow {
  private readonly slotMs: number;
  /** Credits spent in each slot, indexed by slot number modulo the ring's length. */
  private readonly spent = new Float64Array(SLOTS + 1);
  /** The slot number each ring entry holds (entries of older slots count as empty). */
  private readonly slotOf = new Float64Array(SLOTS + 1).fill(-Infinity);

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.slotMs = windowMs / SLOTS;
  }

  /** Credits spent within the window ending now. */
  used(now: number): number {
    const current = this.slot(now);
    let total = 0;
    for (let i = 0; i < this.spent.length; i++) if (current - this.slotOf[i]! <= SLOTS) total += this.spent[i]!;
    return total;
  }

  remaining(now: number): number {
    return Math.max(0, this.limit - this.used(now));
  }

  /** Spends `credits` now if they fit in the window; returns the slot they were spent in, or null. */
  trySpend(credits: number, now: number): number | null {
    if (this.used(now) + credits > this.limit) return null;
    const slot = this.slot(now);
    const index = slot % this.spent.length;
    if (this.slotOf[index] !== slot) {
      this.slotOf[index] = slot;
      this.spent[index] = 0;
    }
    this.spent[index] = this.spent[index]! + credits;
    return slot;
  }

  /** Gives back credits spent in `slot` that were not used (no-op once that slot has left the window). */
  refund(slot: number, credits: number): void {
    const index = slot % this.spent.length;
    if (this.slotOf[index] === slot) this.spent[index] = Math.max(0, this.spent[index]! - credits);
  }

  /** Milliseconds until `credits` more would fit (Infinity when they never can). */
  msUntilFits(credits: number, now: number): number {
    if (credits > this.limit) return Infinity;
    const current = this.slot(now);
    let excess = this.used(now) + credits - this.limit;
    if (excess <= 0) return 0;
    const live = [...this.slotOf.keys()].filter((i) => current - this.slotOf[i]! <= SLOTS).sort((a, b) => this.slotOf[a]! - this.slotOf[b]!);
    for (const i of live) {
      excess -= this.spent[i]!;
      // Slot s leaves the window when slot s + SLOTS + 1 begins.
      if (excess <= 0) return Math.max(0, (this.slotOf[i]! + SLOTS + 1) * this.slotMs - now);
    }
    return this.windowMs;
  }

  /** Whether nothing is spent within the window (the window can be forgotten). */
  idle(now: number): boolean {
    return this.used(now) === 0;
  }

  private slot(now: number): number {
    return Math.floor(now / this.slotMs);
  }
}
