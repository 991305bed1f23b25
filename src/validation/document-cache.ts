/**
 * Yoga's caches of parsed documents and of parse errors, keyed by the document's text, bounded in
 * characters as well as entries. Yoga's default keeps 1,024 documents whatever their size, and a parsed
 * document at the token limit (2,000 tokens in some 6,000 characters) holds about 1 MB of syntax tree
 * and tokens: 1,024 such requests, cheap to send, would hold a gigabyte. Counted by its text, at most
 * DOCUMENT_CACHE_MAX_CHARS (about 40 MB of trees at the worst, a few MB for ordinary operations,
 * which the entry bound limits first).
 */
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

export const DOCUMENT_CACHE_MAX_ENTRIES = 1_024;
export const DOCUMENT_CACHE_MAX_CHARS = 256 * 1024;

/** An LRU keyed by text, bounded by the characters of its keys (and by entries, if given); a key longer than the whole bound is not kept. */
export function boundedByText<T extends object | true>(maxChars: number, max?: number): LRUCache<string, T> {
  return new LRUCache<string, T>({ ...(max ? { max } : {}), maxSize: maxChars, sizeCalculation: (_, text) => Math.max(1, text.length) });
}

/** The options for `createYoga({ parserAndValidationCache })`; validation stays cached per parsed document. */
export function documentCaches(): { documentCache: LRUCache<string, DocumentNode>; errorCache: LRUCache<string, object>; validationCache: true } {
  return {
    documentCache: boundedByText<DocumentNode>(DOCUMENT_CACHE_MAX_CHARS, DOCUMENT_CACHE_MAX_ENTRIES),
    errorCache: boundedByText<object>(DOCUMENT_CACHE_MAX_CHARS, DOCUMENT_CACHE_MAX_ENTRIES),
    validationCache: true,
  };
}
