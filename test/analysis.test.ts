/**
 * Analysis is linear, and hostile input is refused locally. The shape limits, the credit estimate and
 * the prefetch planner read an operation the way execution does (a fragment once per type, fields merged
 * by response key) with coerced variables; nested values, handles that are not TikTok's and malformed
 * `_entities` representations get a 4xx or BAD_USER_INPUT, never a 500, and cost no upstream call.
 */
import { getIntrospectionQuery, parse, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectionWalks } from '../src/cost/selections.js';
import { MAX_FIELD_REPEATS } from '../src/cost/shape.js';
import { encodeGlobalID } from '../src/schema/global-ids.js';
import { MAX_VALUE_DEPTH, parseUsername } from '../src/schema/inputs.js';
import { type GraphQLResponse, type TestServer, codes, setup } from './helpers.js';

const DRY_RUN = { 'x-dry-run': 'true' };
const MAX_TOKENS = 2000;
/** A bound far above what linear analysis takes (a few ms) and far below what doubling takes (hours). */
const GENEROUS_MS = 250;

const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

/** `root` spreads F0; each of n fragments on `type` reaches the next through `via`; the last selects `leaf`. */
function chain(n: number, via: (next: string) => string, leaf: string, root = 'user(username: "alice") { ...F0 }', type = 'User'): string {
  const levels = repeat(n, (i) => `fragment F${i} on ${type} { ${via(`F${i + 1}`)} }`);
  return `query Q { ${root} } ${levels} fragment F${n} on ${type} { ${leaf} }`;
}

/** Documents whose fragments double (or triple) per level: 2^n fields for a naive walk, a few once merged. */
const FAMILIES: [string, (n: number) => string][] = [
  ['spread and inline spread (the issue’s example)', (n) => chain(n, (f) => `...${f} ... on User { ...${f} }`, 'username')],
  ['the same spread twice', (n) => chain(n, (f) => `...${f} ...${f}`, 'username')],
  [
    'three ways under node(id:)',
    (n) =>
      chain(
        n,
        (f) => `...${f} ... on User { ...${f} } ... on Node { ...${f} }`,
        'id ... on User { displayName }',
        `node(id: "${encodeGlobalID('User', 'alice')}") { ...F0 }`,
        'Node',
      ),
  ],
  ['an alias in the leaf', (n) => chain(n, (f) => `...${f} ...${f}`, 'name: displayName')],
  ['a costly leaf', (n) => chain(n, (f) => `...${f} ... on User { ...${f} }`, 'stories(first: 2) { nodes { author { bio } audio { authors { bio } } } }')],
  [
    'under users(usernames:)',
    (n) => chain(n, (f) => `...${f} ...${f}`, 'bio stories(first: 1) { totalCount }', `users(usernames: [${repeat(20, (i) => `"u${i}"`)}]) { ...F0 }`),
  ],
  ['under _entities', (n) => chain(n, (f) => `...${f} ...${f}`, 'bio', `_entities(representations: [{ __typename: "User", username: "alice" }]) { ...F0 }`)],
  ['under __schema', (n) => chain(n, (f) => `...${f} ... on __Schema { ...${f} }`, 'queryType { name }', '__schema { ...F0 }', '__Schema')],
];

let texts = 0;
/** A comment is no token, but makes the text new to Yoga's parse and validation caches. */
const fresh = (document: string) => `${document}\n# ${++texts}`;

/** Dry-runs `document` and counts the selections the analysis walked. */
async function analyse(server: TestServer, document: string) {
  const before = selectionWalks.count;
  const res = await server.gql(fresh(document), {}, DRY_RUN);
  return { res, walks: selectionWalks.count - before };
}

/** The best of three dry runs, in ms. */
async function bestTime(server: TestServer, document: string): Promise<{ ms: number; res: GraphQLResponse }> {
  let ms = Infinity;
  let res: GraphQLResponse | undefined;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    res = await server.gql(fresh(document), {}, DRY_RUN);
    ms = Math.min(ms, performance.now() - started);
  }
  return { ms, res: res! };
}

/** Fields, spreads and inline fragments written in `document`. */
function selectionsIn(document: string): number {
  let count = 0;
  const selection = () => void count++;
  visit(parse(document), { Field: selection, FragmentSpread: selection, InlineFragment: selection });
  return count;
}

/** The most levels of `family` within the token limit. */
function levelsAtTokenLimit(family: (n: number) => string): number {
  let n = 1;
  const fits = (levels: number) => {
    try {
      parse(family(levels), { maxTokens: MAX_TOKENS });
      return true;
    } catch {
      return false;
    }
  };
  while (fits(n + 1)) n++;
  return n;
}

const errorsOf = (res: GraphQLResponse) => (res.errors ?? []).map((e) => ({ code: e.extensions?.code, path: e.path }));

describe('analysis is linear in the document', () => {
  it.each(FAMILIES)('%s: twice the levels is twice the work, each selection read about once per type', async (_, family) => {
    const server = setup();
    const small = await analyse(server, family(15));
    const large = await analyse(server, family(30));
    expect(small.res.errors).toBeUndefined();
    expect(large.res.errors).toBeUndefined();
    expect(large.res.extensions!.upstream.estimatedCredits).toBe(small.res.extensions!.upstream.estimatedCredits);
    // Linear: ~2x (a doubling walk would be 2^15 times more). The shape limits read each selection once
    // for all types, the estimate once for each type it meets (User, Story...): about twice in all.
    expect(large.walks).toBeLessThanOrEqual(2.2 * small.walks);
    expect(large.walks).toBeLessThanOrEqual(3 * selectionsIn(family(30)));
    expect(server.calls()).toBe(0);
  });

  it.each(FAMILIES)('%s: at the token limit, analysed (parse, validation, limits, estimate) in well under 50 ms', async (_, family) => {
    const server = setup();
    const document = family(levelsAtTokenLimit(family));
    const { ms, res } = await bestTime(server, document);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(ms).toBeLessThan(GENEROUS_MS);
  });

  it('executes such a document reading its selections once (the prefetch planner), with the calls of one copy', async () => {
    const family = FAMILIES[5]![1]; // 20 users, each planned by loadUser
    const calls: number[] = [];
    const walks: number[] = [];
    for (const levels of [15, 30]) {
      const server = setup();
      const before = selectionWalks.count;
      const res = await server.gql(fresh(family(levels)));
      walks.push(selectionWalks.count - before);
      expect(res.errors).toBeUndefined();
      expect(res.data!.users).toHaveLength(20);
      calls.push(server.calls());
    }
    expect(calls).toEqual([40, 40]); // a profile and a stories page per user
    expect(walks[1]).toBeLessThanOrEqual(2.2 * walks[0]!);
  });
});

describe('the shape limits measure what execution runs', () => {
  it('counts an alias once per place in the response, not once per spread', async () => {
    const { gql } = setup();
    const aliased = (users: number) => `{ ${repeat(users, (i) => `u${i}: user(username: "a${i}") { ...F }`)} } fragment F on User { name: displayName }`;
    expect(codes(await gql(aliased(15), {}, DRY_RUN))).toEqual([]); // 15 + 15 aliases
    const over = await gql(aliased(16), {}, DRY_RUN);
    expect(over.status).toBe(400);
    expect(codes(over)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
    expect(over.errors![0]!.message).toBe('The operation has 32 aliases; the limit is 30.');
  });

  it('counts the directives of a fragment once, however often it is spread', async () => {
    const { gql } = setup();
    const directives = (count: number) =>
      chain(
        10,
        (f) => `...${f} ...${f}`,
        repeat(count, (i) => `f${i}: username @include(if: true)`),
      );
    const limits = (res: GraphQLResponse) => codes(res).filter((code) => code === 'OPERATION_LIMIT_EXCEEDED');
    // 20 aliases and 20 directives, written once, spread 2^10 times.
    expect(limits(await gql(directives(20), {}, DRY_RUN))).toEqual([]);
    expect((await gql(directives(21), {}, DRY_RUN)).errors![0]!.message).toMatch(/21 directives; the limit is 20/);
  });

  it(`refuses a response key selected more than ${MAX_FIELD_REPEATS} times at one place, before graphql-js compares them pairwise`, async () => {
    const { gql, calls } = setup();
    const written = (n: number) => `fragment X on User { ${repeat(n, () => 'username')} } { user(username: "alice") { ...X } }`;
    const spread = (n: number) => `{ user(username: "alice") { ${repeat(n, (i) => `...G${i}`)} } } ${repeat(n, (i) => `fragment G${i} on User { id }`)}`;
    expect(codes(await gql(written(MAX_FIELD_REPEATS), {}, DRY_RUN))).toEqual([]);
    expect(codes(await gql(spread(MAX_FIELD_REPEATS), {}, DRY_RUN))).toEqual([]);
    for (const document of [written(MAX_FIELD_REPEATS + 1), spread(MAX_FIELD_REPEATS + 1), written(1980)]) {
      const res = await gql(document, {}, DRY_RUN);
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
      expect(res.errors![0]!.message).toMatch(/is selected \d+ times at one place; the limit is 20/);
    }
    expect(calls()).toBe(0);
  });

  it('checks fragments written before the operation first (graphql-js would validate them before Armor’s rules ran)', async () => {
    const server = setup();
    const document = `fragment X on User { ${repeat(660, () => 'a: username')} } { user(username: "alice") { ...X } }`;
    const { ms, res } = await bestTime(server, document);
    expect(codes(res)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
    expect(ms).toBeLessThan(GENEROUS_MS);
  });

  it(`refuses literals nested deeper than ${MAX_VALUE_DEPTH} levels with BAD_USER_INPUT (400)`, async () => {
    const { gql, calls } = setup();
    const nested = (levels: number) => `{ _entities(representations: [${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}]) { __typename } }`;
    const deep = await gql(nested(MAX_VALUE_DEPTH + 1));
    expect(deep.status).toBe(400);
    expect(codes(deep)).toEqual(['BAD_USER_INPUT']);
    const tokenLimit = await gql(nested(990));
    expect([tokenLimit.status, codes(tokenLimit)]).toEqual([400, ['BAD_USER_INPUT']]);
    // At the limit the value is read, and refused as a representation (it is not an object).
    const atLimit = await gql(nested(MAX_VALUE_DEPTH));
    expect(errorsOf(atLimit)).toEqual([{ code: 'BAD_USER_INPUT', path: ['_entities', 0] }]);
    expect(calls()).toBe(0);
  });
});

describe('introspection', () => {
  it('answers GraphiQL’s introspection query', async () => {
    const res = await setup().gql(getIntrospectionQuery());
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.queryType.name).toBe('Query');
  });

  it('still refuses lists nested three deep (graphql-js’s MaxIntrospectionDepthRule, made linear)', async () => {
    const { gql } = setup();
    const direct = await gql(`{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`);
    const viaFragments = await gql(
      chain(
        40,
        (f) => `...${f} ... on __Type { ...${f} }`,
        'fields { type { fields { type { fields { name } } } } }',
        '__type(name: "User") { ...F0 }',
        '__Type',
      ),
    );
    for (const res of [direct, viaFragments]) {
      expect(res.status).toBe(400);
      expect(res.errors![0]!.message).toBe('Maximum introspection depth exceeded');
    }
  });
});

describe('the estimate and the planner read coerced variables', () => {
  it('estimates a defaulted `first` as it executes', async () => {
    const { gql, calls } = setup();
    const literal = `{ user(username: "khaby.lame") { stories(first: 50) { nodes { id } } } }`;
    const defaulted = `query ($n: Int = 50) { user(username: "khaby.lame") { stories(first: $n) { nodes { id } } } }`;
    const expected = (await gql(literal, {}, DRY_RUN)).extensions!.upstream.estimatedCredits;
    expect(expected).toBe(2); // two pages of 35
    expect((await gql(defaulted, {}, DRY_RUN)).extensions!.upstream.estimatedCredits).toBe(expected);
    const res = await gql(defaulted);
    expect(res.errors).toBeUndefined();
    expect(res.data!.user.stories.nodes).toHaveLength(50);
    expect(calls()).toBe(2);
  });

  it.each([
    [
      '@skip defaulting to true',
      'query ($s: Boolean = true) { user(username: "alice") { username stories @skip(if: $s) { totalCount } } }',
      ['/v1/tiktok/users/alice'],
    ],
    [
      '@include defaulting to false',
      'query ($i: Boolean = false) { user(username: "alice") { username stories @include(if: $i) { totalCount } } }',
      ['/v1/tiktok/users/alice'],
    ],
    [
      '@include defaulting to true',
      'query ($i: Boolean = true) { user(username: "alice") { username stories @include(if: $i) { totalCount } } }',
      ['/v1/tiktok/users/alice/stories'],
    ],
  ])('estimates and plans %s as it executes', async (_, query, paths) => {
    const { gql, sandbox } = setup();
    expect((await gql(query, {}, DRY_RUN)).extensions!.upstream.estimatedCredits).toBe(1);
    const res = await gql(query);
    expect(res.errors).toBeUndefined();
    expect(sandbox.calls.map((c) => c.path.split('?')[0])).toEqual(paths);
  });
});

/** Sends a raw JSON body (deep values that JSON.stringify would choke on are written as text). */
async function sendRaw(server: TestServer, body: string) {
  const response = await server.app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body,
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

describe('hostile input is refused locally, never with a 500', () => {
  const lists = (levels: number) => `${'['.repeat(levels)}"x"${']'.repeat(levels)}`;
  const objects = (levels: number) => `${'{"a":'.repeat(levels)}"x"${'}'.repeat(levels)}`;
  const entities = 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
  it.each([
    ['10,000 nested lists in a declared variable', 'query ($u: [String!]!) { users(usernames: $u) { username } }', `{"u":${lists(10_000)}}`],
    ['10,000 nested lists into an ids list', 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', `{"ids":${lists(10_000)}}`],
    ['10,000 nested lists in an undeclared variable', '{ __typename }', `{"v":${lists(10_000)}}`],
    ['10,000 nested objects in a variable', 'query ($u: String!) { user(username: $u) { username } }', `{"u":${objects(10_000)}}`],
    ['nested lists as representations', entities, `{"r":${lists(10_000)}}`],
    ['nested lists as an audio id', entities, `{"r":[{"__typename":"Audio","audioId":${lists(10_000)}}]}`],
    ['nested objects as a username', entities, `{"r":[{"__typename":"User","username":${objects(10_000)}}]}`],
  ])('%s: 400 BAD_USER_INPUT', async (_, query, variables) => {
    const server = setup();
    const { status, body } = await sendRaw(server, `{"query":${JSON.stringify(query)},"variables":${variables}}`);
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(server.calls()).toBe(0);
  });

  it('refuses nested extensions the same way', async () => {
    const server = setup();
    const { status, body } = await sendRaw(server, `{"query":"{ __typename }","extensions":{"e":${lists(10_000)}}}`);
    expect([status, codes(body)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  it.each(['.', '..', '...', '@..', 'alice.', '._.', '@', ''])('refuses the username %j locally', async (username) => {
    const { gql, calls } = setup();
    const res = await gql('query ($u: String!) { user(username: $u) { username } }', { u: username });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(calls()).toBe(0);
  });

  it.each(['a', '_', 'a.b', 'a..b', 'khaby.lame', '@Khaby.Lame', 'x'.repeat(24)])('accepts the username %j', (username) => {
    expect(() => parseUsername(username)).not.toThrow();
  });
});

describe('_entities', () => {
  const entities = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { username } ... on Audio { audioId } } }';
  const user = (username: string) => ({ __typename: 'User', username });

  it('takes at most MAX_LIST_LENGTH representations, duplicates included, and counts each entity once', async () => {
    const { gql, calls } = setup();
    for (const representations of [Array.from({ length: 51 }, (_, i) => user(`u${i}`)), Array.from({ length: 51 }, () => user('alice'))]) {
      const res = await gql(entities, { r: representations });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toBe('`representations` may hold at most 50 entries (got 51).');
    }
    expect(calls()).toBe(0);
    const fifty = await gql(entities, { r: Array.from({ length: 50 }, (_, i) => user(i % 2 ? 'alice' : '@ALICE')) });
    expect(fifty.errors).toBeUndefined();
    expect(fifty.extensions!.upstream.estimatedCredits).toBe(1);
    expect(calls()).toBe(1);
  });

  it('answers a malformed representation with BAD_USER_INPUT at its entry and resolves the others', async () => {
    const { gql, calls } = setup();
    const representations = [
      user('alice'),
      { username: 'alice' },
      { __typename: 'Admin', username: 'alice' },
      { __typename: 'Story', username: 'alice' },
      { __typename: 'User' },
      { __typename: 'User', username: 42 },
      { __typename: 'Audio', audioId: 7 },
      { __typename: 'User', username: { $gt: '' } },
      { __typename: 'User', username: [[['alice']]] },
      user('../admin'),
      user('..'),
      'User:alice',
      ['alice'],
      { __typename: 'Audio', audioId: 'not-digits' },
      user('@Bob'),
    ];
    const res = await gql(entities, { r: representations });
    expect(res.status).toBe(200);
    expect(res.data!._entities[0]).toEqual({ username: 'alice' });
    expect(res.data!._entities.at(-1)).toEqual({ username: 'bob' });
    expect(res.data!._entities.slice(1, -1)).toEqual(Array(representations.length - 2).fill(null));
    expect(errorsOf(res)).toEqual(representations.slice(1, -1).map((_, i) => ({ code: 'BAD_USER_INPUT', path: ['_entities', i + 1] })));
    expect(calls()).toBe(2);
  });

  it('keeps an upstream failure of one entity at its entry', async () => {
    const { gql } = setup();
    const res = await gql(entities, { r: [user('alice'), user('nobody'), user('bob')] });
    expect(res.data!._entities).toEqual([{ username: 'alice' }, null, { username: 'bob' }]);
    expect(errorsOf(res)).toEqual([{ code: 'NOT_FOUND', path: ['_entities', 1] }]);
  });

  it('never reads a representation deeper than it must (a literal list of junk)', async () => {
    const { gql } = setup();
    const res = await gql(`{ _entities(representations: [1, "x", [[["y"]]], { __typename: { __typename: "User" } }]) { __typename } }`);
    expect(res.status).toBe(200);
    expect(errorsOf(res).map((e) => e.code)).toEqual(Array(4).fill('BAD_USER_INPUT'));
    expect(res.errors!.every((e) => e.extensions?.code !== 'INTERNAL_SERVER_ERROR')).toBe(true);
  });
});
