/** Hostile operations are refused quickly, with a code, and with zero upstream calls. */
import { describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { encodeGlobalID } from '../src/schema/global-ids.js';
import { setup } from './helpers.js';

const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
const deep = (levels: number) => {
  let inner = 'username';
  for (let i = 0; i < levels; i++) inner = `stories { nodes { author { ${inner} } } }`;
  return `{ user(username: "a") { ${inner} } }`;
};

const nestedList = (levels: number): unknown => (levels === 0 ? 'x' : [nestedList(levels - 1)]);

const HOSTILE: [string, string, Record<string, unknown>, string][] = [
  ['deep nesting', deep(6), {}, 'OPERATION_LIMIT_EXCEEDED'],
  ['1,000 aliases', `{ ${repeat(1000, (i) => `a${i}: user(username: "u${i}") { username }`)} }`, {}, 'OPERATION_LIMIT_EXCEEDED'],
  ['1,000 aliases of __typename', `{ ${repeat(1000, (i) => `a${i}: __typename`)} }`, {}, 'OPERATION_LIMIT_EXCEEDED'],
  ['many directives', `{ user(username: "a") { username ${repeat(60, () => '@include(if: true)')} } }`, {}, 'OPERATION_LIMIT_EXCEEDED'],
  ['a huge token count', `{ user(username: "a") { ${repeat(3000, () => 'username')} } }`, {}, 'OPERATION_LIMIT_EXCEEDED'],
  ['circular fragments', `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
  [
    'a huge usernames list',
    `query ($u: [String!]!) { users(usernames: $u) { username } }`,
    { u: Array.from({ length: 1_000 }, (_, i) => `u${i}`) },
    'BAD_USER_INPUT',
  ],
  [
    'a huge ids list',
    `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
    { ids: Array.from({ length: 500 }, (_, i) => encodeGlobalID('User', `u${i}`)) },
    'BAD_USER_INPUT',
  ],
  ['an expensive operation', `{ users(usernames: [${repeat(40, (i) => `"u${i}",`)}]) { stories(first: 100) { totalCount } } }`, {}, 'QUERY_TOO_EXPENSIVE'],
  ['a forged cursor', `{ user(username: "a") { stories(after: "eyJ4IjoxfQ.AAAAAAAAAAAAAAAA") { totalCount } } }`, {}, 'BAD_USER_INPUT'],
  ['a cursor from elsewhere', `{ user(username: "a") { stories(after: "WzEsImIiLCIwIiw0XQ.0000000000000000") { totalCount } } }`, {}, 'BAD_USER_INPUT'],
  ['a malformed global id', `{ node(id: "not-an-id!") { id } }`, {}, 'BAD_USER_INPUT'],
  ['an id of an unknown type', `{ node(id: "${encodeGlobalID('Admin', '1')}") { id } }`, {}, 'BAD_USER_INPUT'],
  ['a malformed username', `{ user(username: "../../admin") { username } }`, {}, 'BAD_USER_INPUT'],
  ['first out of range', `{ user(username: "a") { stories(first: 100000) { totalCount } } }`, {}, 'BAD_USER_INPUT'],
  ['a field repeated 1,000 times', `{ user(username: "a") { ${repeat(1000, () => 'username')} } }`, {}, 'OPERATION_LIMIT_EXCEEDED'],
  [
    'a wall of aliases in a fragment before the operation',
    `fragment X on User { ${repeat(600, () => 'a: username')} } { user(username: "a") { ...X } }`,
    {},
    'OPERATION_LIMIT_EXCEEDED',
  ],
  [
    'introspection lists nested through doubling fragments',
    `{ __type(name: "User") { ...F0 } } ${repeat(40, (i) => `fragment F${i} on __Type { ...F${i + 1} ... on __Type { ...F${i + 1} } }`)} fragment F40 on __Type { fields { type { fields { type { fields { name } } } } } }`,
    {},
    'GRAPHQL_VALIDATION_FAILED',
  ],
  ['a deeply nested literal', `{ _entities(representations: [${'['.repeat(900)}1${']'.repeat(900)}]) { __typename } }`, {}, 'BAD_USER_INPUT'],
  ['deeply nested variables', `query ($u: [String!]!) { users(usernames: $u) { username } }`, { u: nestedList(1000) }, 'BAD_USER_INPUT'],
  ['a username of dots', `{ user(username: "..") { username } }`, {}, 'BAD_USER_INPUT'],
  ['a username ending with a dot', `{ user(username: "@alice.") { username } }`, {}, 'BAD_USER_INPUT'],
  [
    'too many representations',
    `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
    { r: Array.from({ length: 60 }, () => ({ __typename: 'User', username: 'alice' })) },
    'BAD_USER_INPUT',
  ],
  ['a representation of an unknown type', `{ _entities(representations: [{ __typename: "Admin", id: "1" }]) { __typename } }`, {}, 'BAD_USER_INPUT'],
];

describe('a battery of hostile operations', () => {
  it.each(HOSTILE)('refuses %s with %4$s and no upstream call', async (_, query, variables, code) => {
    const { gql, calls } = setup();
    const started = performance.now();
    const res = await gql(query, variables);
    const elapsed = performance.now() - started;
    expect(res.errors?.map((e) => e.extensions?.code)).toContain(code);
    expect(calls()).toBe(0);
    expect(elapsed).toBeLessThan(5_000); // "quickly": a generous bound, not a benchmark
  });

  it('refuses an oversized body with 413', async () => {
    const { app, calls } = setup();
    const body = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(200_000) } });
    const res = await app.yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(calls()).toBe(0);
  });

  it('refuses a streamed body of undeclared length with 411', async () => {
    const { app } = setup();
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ query: '{ __typename }' })));
        controller.close();
      },
    });
    const res = await app.yoga.fetch(
      new Request('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit),
    );
    expect(res.status).toBe(411);
  });

  it('refuses batched requests', async () => {
    const { app, calls } = setup();
    const body = JSON.stringify([{ query: '{ user(username: "a") { username } }' }, { query: '{ user(username: "b") { username } }' }]);
    const res = await app.yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(calls()).toBe(0);
  });

  it.each([
    ['a cross-site GET', { 'sec-fetch-site': 'cross-site' }, 'GET'],
    ['a same-site GET', { 'sec-fetch-site': 'same-site' }, 'GET'],
    ['a form POST from another origin', { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 'POST'],
  ])('refuses %s (CSRF) before anything runs', async (_, headers, method) => {
    const { app, calls } = setup();
    const query = '{ user(username: "alice") { username } }';
    const res =
      method === 'GET'
        ? await app.yoga.fetch(`http://localhost/graphql?query=${encodeURIComponent(query)}`, { headers })
        : await app.yoga.fetch('http://localhost/graphql', { method, headers, body: `query=${encodeURIComponent(query)}` });
    expect(res.status).toBe(403);
    expect((await res.json()).errors[0].extensions.code).toBe('CSRF_REFUSED');
    expect(calls()).toBe(0);
  });

  it.each([
    ['a GET from a non-browser client', {}],
    ['a same-origin GET', { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' }],
    ['a cross-site GET with the preflight header', { 'sec-fetch-site': 'cross-site', 'x-graphql-yoga-csrf': '1' }],
    [
      'a cross-site GET with the spec’s GraphQL-Require-Preflight header',
      { 'sec-fetch-site': 'cross-site', origin: 'https://app.example', 'graphql-require-preflight': '1' },
    ],
  ])('accepts %s', async (_, headers) => {
    const { app } = setup();
    const res = await app.yoga.fetch(`http://localhost/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', ...headers },
    });
    expect(res.status).toBe(200);
  });
});

describe('production mode', () => {
  it('hides field suggestions and internal error details', async () => {
    const { gql } = setup({ config: { production: true } });
    const res = await gql(`{ user(username: "a") { usernme } }`);
    expect(res.errors![0]!.message).not.toMatch(/Did you mean/);
    const dev = await setup().gql(`{ user(username: "a") { usernme } }`);
    expect(dev.errors![0]!.message).toMatch(/Did you mean "username"/);
  });

  it('can turn introspection off', async () => {
    const { gql } = setup({ config: { limits: { ...testConfig().limits, introspection: false } } });
    const res = await gql(`{ __schema { queryType { name } } }`);
    expect(res.errors![0]!.message).toMatch(/introspection/i);
    expect((await setup().gql(`{ __schema { queryType { name } } }`)).data!.__schema.queryType.name).toBe('Query');
  });
});

describe('client access (off by default)', () => {
  const withKeys = { limits: { ...testConfig().limits, clientKeys: ['client-key-one', 'client-key-two'] } };

  it('accepts anyone when no client key is configured', async () => {
    expect((await setup().gql(`{ __typename }`)).status).toBe(200);
  });

  it('requires one of the configured client keys', async () => {
    const { gql, calls } = setup({ config: withKeys });
    const missing = await gql(`{ user(username: "a") { username } }`);
    expect(missing.status).toBe(401);
    expect(missing.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect((await gql(`{ __typename }`, {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await gql(`{ user(username: "a") { username } }`, {}, { authorization: 'Bearer client-key-two' })).status).toBe(200);
    expect(calls()).toBe(1);
  });

  it('limits operations per client and minute', async () => {
    const { gql } = setup({ config: { limits: { ...withKeys.limits, rateLimitPerMinute: 3 } } });
    const as = (key: string) => gql(`{ __typename }`, {}, { authorization: `Bearer ${key}` });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await as('client-key-one')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await as('client-key-one');
    expect(limited.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await as('client-key-two')).status).toBe(200);
  });
});
