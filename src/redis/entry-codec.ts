/**
 * Upstream answers as Redis holds them: plain JSON with the times that bound them (epoch ms), the
 * 404's error fields, and, for a body contract.ts repaired, where its violation marks were (a symbol
 * does not survive JSON), so that a replica reading the copy answers exactly as the one that called.
 */
import type { CacheEntry } from '../upstream/cache.js';
import { mark, violationsOf } from '../upstream/contract.js';
import { UpstreamError } from '../upstream/errors.js';

/** A copy stored by some replica, and until when it is fresh (epoch ms). */
export interface SharedCopy {
  entry: CacheEntry;
  storedAt: number;
  freshUntil: number;
}

type Path = (string | number)[];
type Marks = [Path, string[]][];

interface Stored {
  storedAt: number;
  freshUntil: number;
  bytes: number;
  value?: unknown;
  marks?: Marks;
  error?: { failure: UpstreamError['failure']; message: string; status: number | null; upstreamCode: string | null };
}

export function encodeCopy(copy: SharedCopy): string {
  const { entry, storedAt, freshUntil } = copy;
  const stored: Stored = { storedAt, freshUntil, bytes: entry.bytes };
  if (entry.ok) {
    stored.value = entry.value;
    if (entry.marked) stored.marks = marksOf(entry.value);
  } else {
    stored.error = encodeError(entry.error);
  }
  return JSON.stringify(stored);
}

/** The copy in `text`, or undefined when it is not one (written by another version, say). */
export function decodeCopy(text: string): SharedCopy | undefined {
  let stored: Stored;
  try {
    stored = JSON.parse(text) as Stored;
  } catch {
    return undefined;
  }
  if (typeof stored?.storedAt !== 'number' || typeof stored.freshUntil !== 'number' || typeof stored.bytes !== 'number') return undefined;
  const { storedAt, freshUntil, bytes } = stored;
  if (stored.error) return { storedAt, freshUntil, entry: { ok: false, error: decodeError(stored.error), bytes } };
  if (stored.marks) {
    for (const [path, keys] of stored.marks) {
      const object = at(stored.value, path);
      if (typeof object === 'object' && object !== null) for (const key of keys) mark(object as Record<string, unknown>, key);
    }
    return { storedAt, freshUntil, entry: { ok: true, value: stored.value, bytes, marked: true } };
  }
  return { storedAt, freshUntil, entry: { ok: true, value: stored.value, bytes } };
}

export function encodeError(error: UpstreamError): NonNullable<Stored['error']> {
  return { failure: error.failure, message: error.message, status: error.status, upstreamCode: error.upstreamCode };
}

export function decodeError(fields: NonNullable<Stored['error']>): UpstreamError {
  return new UpstreamError(fields.failure, fields.message, fields.status, fields.upstreamCode);
}

function marksOf(root: unknown): Marks {
  const marks: Marks = [];
  const walk = (value: unknown, path: Path) => {
    if (typeof value !== 'object' || value === null) return;
    const violated = violationsOf(value);
    if (violated) marks.push([path, violated]);
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
  };
  walk(root, []);
  return marks;
}

function at(root: unknown, path: Path): unknown {
  let value = root;
  for (const part of path) value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[part] : undefined;
  return value;
}
