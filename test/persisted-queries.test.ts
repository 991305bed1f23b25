/**
 * Automatic persisted queries, driven by Apollo Client's own PersistedQueryLink + HttpLink (POST and
 * GET), then from hostile angles: forged and malformed hashes, documents over the limits, floods of
 * big distinct queries, trusted-documents mode.
 */
import { createHash } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createMemoryPersistedQueryStore } from '../src/plugins/use-automatic-persisted-queries.js';
import { type TestServer, setup } from './helpers.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const MANIFEST = new URL('./operations/generated/persisted-documents.json', import.meta.url).pathname;

interface Sent {
  method: string;
  query?: string;
  hash?: string;
  status: number;
}

/** Serves the app on a loopback port: Apollo's HttpLink then speaks real HTTP (Content-Length included). */
async function listen(server: TestServer): Promise<string> {
  const http = createServer(server.app.yoga);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  servers.push(http);
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
}
const servers: Server[] = [];
afterAll(() => servers.forEach((http) => http.close()));

/** An Apollo Client over PersistedQueryLink + HttpLink whose requests are each recorded. */
function apollo(uri: string, sent: Sent[], useGETForHashedQueries = false) {
  const recording = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, any>) : undefined;
    const extensions = body?.extensions ?? JSON.parse(url.searchParams.get('extensions') ?? '{}');
    const response = await fetch(input, init);
    sent.push({
      method: init?.method ?? 'GET',
      query: body?.query ?? url.searchParams.get('query') ?? undefined,
      hash: extensions.persistedQuery?.sha256Hash,
      status: response.status,
    });
    return response;
  };
  const link = new PersistedQueryLink({ sha256, useGETForHashedQueries }).concat(new HttpLink({ uri, fetch: recording }));
  return new ApolloClient({ link, cache: new InMemoryCache(), defaultOptions: { query: { fetchPolicy: 'no-cache' } } });
}

const PROFILE = gql`
  query Profile($u: String!) {
    user(username: $u) {
      username
      displayName
    }
  }
`;

async function post(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const res = await server.app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: any[]; extensions?: any } };
}
const persisted = (sha256Hash: unknown, version: unknown = 1) => ({ persistedQuery: { version, sha256Hash } });
const codeOf = (res: { body: { errors?: any[] } }) => res.body.errors?.[0]?.extensions?.code;

describe('with Apollo Client', () => {
  it.each([
    ['POST', false],
    ['GET', true],
  ])('%s: the first request misses and registers, the next sends the hash only', async (method, useGET) => {
    const uri = await listen(setup());
    const sent: Sent[] = [];
    const first = await apollo(uri, sent, useGET).query({ query: PROFILE, variables: { u: 'alice' } });
    expect(first.data).toEqual({ user: { __typename: 'User', username: 'alice', displayName: expect.any(String) } });
    const hash = sent[0]!.hash!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sent).toEqual([
      { method, query: undefined, hash, status: 404 },
      { method: 'POST', query: expect.stringContaining('query Profile'), hash, status: 200 },
    ]);

    // Another client (a fresh page load): the server knows the hash, so one request, without the query.
    const again: Sent[] = [];
    const second = await apollo(uri, again, useGET).query({ query: PROFILE, variables: { u: 'bob' } });
    expect((second.data as any).user.username).toBe('bob');
    expect(again).toEqual([{ method, query: undefined, hash, status: 200 }]);
  });

  it('stops sending hashes when APQ is off (APQ_MAX_ENTRIES=0)', async () => {
    const uri = await listen(setup({ config: { limits: { ...loadConfig({}).limits, apqMaxEntries: 0 } } }));
    const sent: Sent[] = [];
    const client = apollo(uri, sent);
    expect(((await client.query({ query: PROFILE, variables: { u: 'alice' } })).data as any).user.username).toBe('alice');
    expect(((await client.query({ query: PROFILE, variables: { u: 'bob' } })).data as any).user.username).toBe('bob');
    expect(sent.map((s) => [s.status, s.query !== undefined, s.hash !== undefined])).toEqual([
      [400, false, true],
      [200, true, false],
      [200, true, false],
    ]);
  });
});

describe('the protocol', () => {
  const QUERY = '{ user(username: "alice") { username } }';

  it('answers an unknown hash PERSISTED_QUERY_NOT_FOUND, 404 and never cached, whatever the Accept', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await post(setup(), { extensions: persisted(sha256(QUERY)) }, { accept });
      expect([res.status, codeOf(res), res.body.errors![0].message]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound']);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses a query that does not hash to the hash sent with it, and remembers nothing', async () => {
    const server = setup();
    const forged = sha256('{ __typename }');
    const res = await post(server, { query: QUERY, extensions: persisted(forged) });
    expect([res.status, codeOf(res)]).toEqual([400, 'PERSISTED_QUERY_HASH_MISMATCH']);
    expect(server.calls()).toBe(0);
    expect(codeOf(await post(server, { extensions: persisted(forged) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it.each([
    ['too short', 'abc123'],
    ['too long', 'a'.repeat(65)],
    ['upper case', sha256(QUERY).toUpperCase()],
    ['not hexadecimal', 'g'.repeat(64)],
    ['a number', 12],
    ['missing', undefined],
    ['a path', `../${'a'.repeat(61)}`],
  ])('refuses a hash that is %s (PERSISTED_QUERY_INVALID)', async (_, hash) => {
    const res = await post(setup(), { extensions: persisted(hash) });
    expect([res.status, codeOf(res)]).toEqual([400, 'PERSISTED_QUERY_INVALID']);
  });

  it('refuses a version other than 1', async () => {
    const res = await post(setup(), { query: QUERY, extensions: persisted(sha256(QUERY), 2) });
    expect([res.status, codeOf(res)]).toEqual([400, 'PERSISTED_QUERY_INVALID']);
  });

  it.each([
    ['over the token limit', `{ ${'__typename '.repeat(2_100)}}`, 'OPERATION_LIMIT_EXCEEDED'],
    ['unparsable', '{ user(', 'GRAPHQL_PARSE_FAILED'],
    ['invalid against the schema', '{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a mutation', 'mutation { x }', 'OPERATION_NOT_SUPPORTED'],
  ])('does not register a document %s, even with its true hash', async (_, query, code) => {
    const server = setup();
    const res = await post(server, { query, extensions: persisted(sha256(query)) });
    expect([res.status, codeOf(res)]).toEqual([400, code]);
    expect(codeOf(await post(server, { extensions: persisted(sha256(query)) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('runs a registered query through the credit estimate, the dry run and the limits every time', async () => {
    const server = setup({ config: { limits: { ...loadConfig({}).limits, maxCreditsPerOperation: 1 } } });
    const query = 'query Users($u: [String!]!) { users(usernames: $u) { username } }';
    const extensions = persisted(sha256(query));
    expect((await post(server, { query, variables: { u: ['alice'] }, extensions })).body.data.users).toEqual([{ username: 'alice' }]);
    const calls = server.calls();
    const expensive = await post(server, { variables: { u: ['alice', 'bob'] }, extensions });
    expect([expensive.status, codeOf(expensive)]).toEqual([400, 'QUERY_TOO_EXPENSIVE']);
    const dry = await post(server, { variables: { u: ['carol'] }, extensions }, { 'x-dry-run': 'true' });
    expect(dry.body.extensions.upstream).toMatchObject({ dryRun: true, estimatedCredits: 1 });
    const badInput = await post(server, { variables: { u: 5 }, extensions });
    expect([badInput.status, codeOf(badInput)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(server.calls()).toBe(calls);
  });
});

describe('bounded memory', () => {
  /** A distinct valid query of about `size` bytes: a comment pads it (comments are no tokens). */
  const big = (i: number, size: number) => `query Q${i} { __typename } # ${'x'.repeat(size)}`;

  it('keeps at most its bytes and entries, the most recent first, however many queries a client registers', () => {
    const store = createMemoryPersistedQueryStore({ maxEntries: 1_000, maxBytes: 1024 * 1024 });
    const queries = Array.from({ length: 5_000 }, (_, i) => big(i, 30_000));
    for (const query of queries) store.set(sha256(query), query);
    const kept = queries.filter((query) => store.get(sha256(query)) !== undefined);
    // 60 kB a query as counted (UTF-16): a megabyte holds 17 of them.
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.reduce((bytes, query) => bytes + 2 * query.length, 0)).toBeLessThanOrEqual(1024 * 1024);
    expect(kept.at(-1)).toBe(queries.at(-1));

    const small = createMemoryPersistedQueryStore({ maxEntries: 100, maxBytes: 1024 * 1024 });
    for (let i = 0; i < 1_000; i++) small.set(sha256(String(i)), String(i));
    expect(Array.from({ length: 1_000 }, (_, i) => small.get(sha256(String(i)))).filter(Boolean)).toHaveLength(100);
  });

  it('forgets the oldest queries of a flood sent over HTTP, and still answers the newest by hash', async () => {
    const server = setup({ config: { limits: { ...loadConfig({}).limits, apqMaxBytes: 256 * 1024 } } });
    const queries = Array.from({ length: 300 }, (_, i) => big(i, 8_000));
    for (const query of queries) expect((await post(server, { query, extensions: persisted(sha256(query)) })).status).toBe(200);
    expect(codeOf(await post(server, { extensions: persisted(sha256(queries[0]!)) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post(server, { extensions: persisted(sha256(queries.at(-1)!)) })).body.data).toEqual({ __typename: 'Query' });
  }, 30_000);
});

describe('settings', () => {
  it('defaults to 1000 entries and reads APQ_MAX_ENTRIES (0: off)', () => {
    expect(loadConfig({}).limits.apqMaxEntries).toBe(1_000);
    expect(loadConfig({ APQ_MAX_ENTRIES: '0' }).limits.apqMaxEntries).toBe(0);
    expect(() => loadConfig({ APQ_MAX_ENTRIES: '-1' })).toThrow(/APQ_MAX_ENTRIES/);
  });
});

describe('trusted-documents mode', () => {
  it('refuses to register a query, so its hash stays unknown; manifest hashes still run', async () => {
    const server = setup({ config: { trustedDocumentsPath: MANIFEST } });
    const query = '{ user(username: "alice") { username } }';
    const register = await post(server, { query, extensions: persisted(sha256(query)) });
    expect([register.status, codeOf(register)]).toEqual([400, 'TRUSTED_DOCUMENTS_ONLY']);
    const byHash = await post(server, { extensions: persisted(sha256(query)) });
    expect([byHash.status, codeOf(byHash)]).toEqual([404, 'TRUSTED_DOCUMENT_NOT_FOUND']);
    expect(server.calls()).toBe(0);
  });
});
