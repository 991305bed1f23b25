/**
 * The 15 lists' common shape: `count` and `cursor` checked against the operation's descriptor (a count
 * out of range is a refunded 400), then an `OrderedCollectionPage` with `nextCursor: null` on the last page
 * and `next` an absolute URL of this sandbox. Cursors are opaque digit strings: an offset, or a time
 * position (ms) for lists in time order.
 */
import { OPERATIONS, type OperationId } from '../upstream/operations.generated.js';
import { type Answer, invalid, ok } from './answers.js';
import { CONTEXT } from './common.js';

export interface ListQuery {
  url: URL;
  count: number;
  /** The cursor asked, or undefined on the first page (absent or `"0"`). */
  cursor: string | undefined;
  /** Query parameters with their defaults applied (`order`, `published`, `query`). */
  params: Record<string, string>;
}

export interface Slice<T> {
  items: T[];
  nextCursor: string | null;
}

/** Reads and checks a list's query parameters; a 400 answer when one is invalid. */
export function readList(url: URL, operation: OperationId): ListQuery | Answer {
  const { page, query } = OPERATIONS[operation];
  const { min, max, default: fallback } = page!;
  const rawCount = url.searchParams.get('count');
  const count = rawCount === null ? fallback : /^\d+$/.test(rawCount) ? Number(rawCount) : Number.NaN;
  if (!Number.isInteger(count) || count < min || count > max) {
    return invalid(min === max ? `count must be ${min}` : `count must be an integer from ${min} to ${max}`);
  }
  const cursor = url.searchParams.get('cursor') ?? '0';
  if (!/^\d+$/.test(cursor)) return invalid('Invalid cursor');
  const params: Record<string, string> = {};
  for (const [name, rule] of Object.entries(query) as [string, { required: boolean; enum?: readonly string[]; default?: string; minLength?: number }][]) {
    const value = url.searchParams.get(name) ?? rule.default;
    if (value === undefined || (rule.minLength !== undefined && value.length < rule.minLength)) {
      if (rule.required) return invalid(`${name} is required`);
      continue;
    }
    if (rule.enum && !rule.enum.includes(value)) return invalid(`${name} must be one of ${rule.enum.join(', ')}`);
    params[name] = value;
  }
  return { url, count, cursor: cursor === '0' ? undefined : cursor, params };
}

export const isAnswer = (value: unknown): value is Answer => typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

/** The page of `all` after an offset cursor. */
export function offsetSlice<T>(all: readonly T[], query: ListQuery): Slice<T> {
  const start = Number(query.cursor ?? 0);
  const end = start + query.count;
  return { items: all.slice(start, end), nextCursor: end < all.length ? String(end) : null };
}

/** The page of `all` (sorted by `timeOf`, newest first unless `ascending`) after a time cursor. */
export function timeSlice<T>(all: readonly T[], query: ListQuery, timeOf: (item: T) => number, ascending = false): Slice<T> {
  let start = 0;
  if (query.cursor !== undefined) {
    const at = Number(query.cursor);
    start = all.findIndex((item) => (ascending ? timeOf(item) > at : timeOf(item) < at));
    if (start < 0) start = all.length;
  }
  const items = all.slice(start, start + query.count);
  const more = start + query.count < all.length;
  return { items, nextCursor: more && items.length > 0 ? String(timeOf(items.at(-1)!)) : null };
}

const SPARSE_STEP = 1_000_000;

/**
 * H1: pages 0 and 2 are empty, 1 and 3 half full, 4 the last (full or less); every page before the last
 * has a cursor (page × 1,000,000 + offset), and the list ends at page 4 whatever is left.
 */
export function sparseSlice<T>(all: readonly T[], query: ListQuery): Slice<T> {
  const at = Number(query.cursor ?? 0);
  const page = Math.floor(at / SPARSE_STEP);
  const offset = at % SPARSE_STEP;
  const size = page % 2 === 0 ? (page >= 4 ? query.count : 0) : Math.ceil(query.count / 2);
  const items = all.slice(offset, offset + size);
  return { items, nextCursor: page >= 4 ? null : String((page + 1) * SPARSE_STEP + offset + items.length) };
}

/** The 200 answer for a page of a list. */
export function pageAnswer(query: ListQuery, slice: Slice<unknown>, totalItems: number | null): Answer {
  const partOf = `${query.url.origin}${query.url.pathname}`;
  let next: string | null = null;
  if (slice.nextCursor !== null) {
    const url = new URL(query.url);
    url.searchParams.set('cursor', slice.nextCursor);
    url.searchParams.set('count', String(query.count));
    next = url.href;
  }
  return ok({
    '@context': CONTEXT,
    type: 'OrderedCollectionPage',
    partOf,
    totalItems,
    cursor: query.cursor ?? null,
    nextCursor: slice.nextCursor,
    next,
    itemCount: slice.items.length,
    orderedItems: slice.items,
  });
}
