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

const boundedByText = <T extends object>() =>
  new LRUCache<string, T>({
    max: DOCUMENT_CACHE_MAX_ENTRIES,
    maxSize: DOCUMENT_CACHE_MAX_CHARS,
    // A document longer than the whole bound is parsed every time rather than kept.
    sizeCalculation: (_, text) => Math.max(1, text.length),
  });

/** The options for `createYoga({ parserAndValidationCache })`; validation stays cached per parsed document. */
export function documentCaches(): { documentCache: LRUCache<string, DocumentNode>; errorCache: LRUCache<string, object>; validationCache: true } {
  return { documentCache: boundedByText<DocumentNode>(), errorCache: boundedByText<object>(), validationCache: true };
}
