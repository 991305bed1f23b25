/**
 * Automatic persisted queries in Apollo's protocol (`extensions.persistedQuery: { version: 1,
 * sha256Hash }`): a client first sends only the hash; an unknown hash answers
 * PERSISTED_QUERY_NOT_FOUND, the client sends the query with its hash, and we register it once its
 * hash is verified and the document has passed parsing, every limit and validation. From then on the
 * hash alone runs it, by POST or by GET (Apollo's `useGETForHashedQueries`). A remembered query is
 * just a document: it goes through the limits, the credit estimate and the budgets every time.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { GraphContext } from '../context.js';
import { CodedError, ErrorCode } from '../errors.js';

/** Where registered queries live: in memory by default; a shared store (Redis) can replace it. */
export interface PersistedQueryStore {
  get(hash: string): string | undefined | Promise<string | undefined>;
  set(hash: string, query: string): void | Promise<void>;
}

/**
 * An in-memory store bounded by entries and by bytes of query text, least recently used first out,
 * so a client registering thousands of big queries only pushes older ones out.
 */
export function createMemoryPersistedQueryStore({ maxEntries, maxBytes }: { maxEntries: number; maxBytes: number }): PersistedQueryStore {
  const cache = new LRUCache<string, string>({
    max: maxEntries,
    maxSize: maxBytes,
    // UTF-16 code units, twice the bytes V8 may hold, plus the key: a bound, not an exact count.
    sizeCalculation: (query, hash) => 2 * (query.length + hash.length),
  });
  return { get: (hash) => cache.get(hash), set: (hash, query) => void cache.set(hash, query) };
}

const HASH = /^[0-9a-f]{64}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// Every refusal here answers before execution, so its status holds for `application/json` too:
// a request without a query is not a well-formed GraphQL-over-HTTP request, and Apollo Client
// reads the body of a non-2xx answer to decide whether to retry with the query.
const noStore = { 'cache-control': 'no-store' };
const invalid = (message: string) => new CodedError(ErrorCode.PERSISTED_QUERY_INVALID, message, { http: { status: 400 } });

/** The hash of a request's `extensions.persistedQuery`, checked; undefined when there is none. */
function persistedHash(extensions: unknown): string | undefined {
  const persisted = (extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery;
  if (persisted === undefined || persisted === null) return undefined;
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) throw invalid('extensions.persistedQuery.version must be 1.');
  if (typeof sha256Hash !== 'string' || !HASH.test(sha256Hash)) {
    throw invalid('extensions.persistedQuery.sha256Hash must be a SHA-256 digest: 64 lowercase hexadecimal digits.');
  }
  return sha256Hash;
}

/** APQ over `store`; without a store, hashes alone answer PERSISTED_QUERY_NOT_SUPPORTED (Apollo Client then stops sending them). */
export function useAutomaticPersistedQueries(store: PersistedQueryStore | undefined): Plugin<GraphContext> {
  const verified = new WeakMap<Request, { hash: string; query: string }>();
  return {
    onParams({ params, setParams, request }) {
      const hash = persistedHash(params.extensions);
      if (hash === undefined) return;
      const { query } = params;
      if (typeof query === 'string' && query !== '') {
        if (store && sha256Hex(query) !== hash) {
          throw new CodedError(ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, 'The query does not hash to extensions.persistedQuery.sha256Hash.', {
            http: { status: 400 },
          });
        }
        if (store) verified.set(request, { hash, query });
        return;
      }
      if (!store) {
        throw new CodedError(ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED, 'PersistedQueryNotSupported', { http: { status: 400, headers: noStore } });
      }
      const resolve = (known: string | undefined) => {
        // Apollo Client matches the message or the code; 404 as Apollo Server answers, never cached.
        if (known === undefined) {
          throw new CodedError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound', { http: { status: 404, headers: noStore } });
        }
        setParams({ ...params, query: known });
      };
      const known = store.get(hash);
      return known instanceof Promise ? known.then(resolve) : resolve(known);
    },
    onExecute({ args }) {
      // Reached only by documents that parsed within the limits and validated: only those are remembered.
      const request = (args.contextValue as Partial<{ request: Request }>).request;
      const pending = request && verified.get(request);
      if (!pending || !store) return;
      verified.delete(request);
      // A store that fails to remember costs the client one more round trip, not its answer.
      const stored = store.set(pending.hash, pending.query);
      if (stored instanceof Promise) stored.catch(() => undefined);
    },
  };
}
