/** Yoga's caches of parsed documents are bounded by the characters of the documents they keep. */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_CACHE_MAX_CHARS, DOCUMENT_CACHE_MAX_ENTRIES, documentCaches } from '../src/validation/document-cache.js';
import { setup } from './helpers.js';

/** A document at the token limit: some 6,000 characters whose tree and tokens hold about 1 MB. */
const large = (i: number) => `{ ${Array.from({ length: 1_990 }, (_, j) => `a${j % 10}`).join(' ')} x${i} }`;

describe('the parsed-document cache', () => {
  it('keeps documents within its character bound, the oldest going first', () => {
    const { documentCache } = documentCaches();
    for (let i = 0; i < 200; i++) documentCache.set(large(i), parse(large(i)));
    expect(documentCache.calculatedSize).toBeLessThanOrEqual(DOCUMENT_CACHE_MAX_CHARS);
    expect(documentCache.size).toBeLessThan(200);
    expect(documentCache.get(large(0))).toBeUndefined();
    expect(documentCache.get(large(199))).toBeDefined();
  });

  it('keeps ordinary operations up to its entry bound', () => {
    const { documentCache } = documentCaches();
    const small = (i: number) => `{ user(username: "u${i}") { displayName followerCount } }`;
    for (let i = 0; i < DOCUMENT_CACHE_MAX_ENTRIES + 10; i++) documentCache.set(small(i), parse(small(i)));
    expect(documentCache.size).toBe(DOCUMENT_CACHE_MAX_ENTRIES);
  });

  it('is the one the server parses through, bounded there too', async () => {
    const server = setup();
    const query = '{ user(username: "khaby.lame") { displayName } }';
    expect((await server.gql(query)).errors).toBeUndefined();
    expect(server.app.documents.has(query)).toBe(true);
    // Parsed, then refused by the shape limits (a field repeated too often): parsed documents all the same.
    for (let i = 0; i < 60; i++) expect((await server.gql(large(i))).errors?.[0]?.extensions?.code).toBe('OPERATION_LIMIT_EXCEEDED');
    expect(server.app.documents.has(large(59))).toBe(true);
    expect(server.app.documents.has(large(0))).toBe(false);
    expect(server.app.documents.calculatedSize).toBeLessThanOrEqual(DOCUMENT_CACHE_MAX_CHARS);
  });
});
