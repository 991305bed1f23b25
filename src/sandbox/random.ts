/** A tiny seeded PRNG so that the sandbox answers the same data for the same input, every run. */

/** 32-bit FNV-1a hash of a string. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** mulberry32 seeded from the hash of `seed` (a class: no closures to allocate per generator). */
class Mulberry32 implements Random {
  private state: number;

  constructor(seed: string) {
    this.state = hash32(seed);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

export function seededRandom(seed: string): Random {
  return new Mulberry32(seed);
}

/**
 * Memoises a pure generator by key, forgetting everything past `capacity` entries: the sandbox's data
 * is deterministic, so it need not rebuild the same stories on every call (that would pass for latency).
 */
export function memoize<A extends unknown[], R>(key: (...args: A) => string, generate: (...args: A) => R, capacity = 20_000) {
  const memo = new Map<string, R>();
  return (...args: A): R => {
    const k = key(...args);
    let value = memo.get(k);
    if (value === undefined) {
      if (memo.size >= capacity) memo.clear();
      value = generate(...args);
      memo.set(k, value);
    }
    return value;
  };
}
