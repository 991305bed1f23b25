/** Execution is bounded: answers past MAX_RESPONSE_BYTES are refused unbuilt, deadlines stop resolvers, large answers yield. */
import { describe, expect, it, vi } from 'vitest';
import { testConfig } from '../src/config.js';
import { GraphQLBoolean, GraphQLEnumType, GraphQLList, GraphQLNonNull, type GraphQLOutputType, GraphQLString } from 'graphql';
import { DateTimeResolver, SafeIntResolver, URLResolver } from 'graphql-scalars';
import { ExecutionGuard } from '../src/execution/guard.js';

const StoryKindLike = new GraphQLEnumType({ name: 'Kind', values: { VIDEO: { value: 'VIDEO' }, IMAGE: { value: 'IMAGE' } } });
import { codes, setup } from './helpers.js';

const limits = (overrides: Partial<ReturnType<typeof testConfig>['limits']>) => ({ ...testConfig().limits, ...overrides });
/** One user, 50 times: one profile and three pages (4 credits), but 50 copies of 100 stories in the answer. */
const AMPLIFIED = `query Amplified($u: [String!]!) { users(usernames: $u) { username stories(first: 100) { nodes { caption url media { urls quality } } } } }`;
const FIFTY = { u: Array.from({ length: 50 }, () => 'khaby.lame') };

describe('the response size bound', () => {
  it('refuses an answer past MAX_RESPONSE_BYTES with RESPONSE_TOO_LARGE, sending none of it', async () => {
    const { gql, calls } = setup({ config: { limits: limits({ maxResponseBytes: 64 * 1024 }), responseCacheMaxEntries: 10 } });
    const res = await gql(AMPLIFIED, FIFTY);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(res.errors![0]!.extensions!.maxResponseBytes).toBe(64 * 1024);
    expect(res.data).toBeUndefined();
    expect(calls()).toBe(3); // the stories pages (the profile is not needed)
    // Not stored in the response cache: no ETag, and the next identical request executes again (its report says so).
    expect(res.headers.get('etag')).toBeNull();
    const again = await gql(AMPLIFIED, FIFTY);
    expect(codes(again)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(again.extensions!.upstream.cacheHits).toBeGreaterThan(0);
  });

  it('answers the same operation under the default bound, and the bound counts about what is sent', async () => {
    const { gql } = setup();
    const res = await gql(AMPLIFIED, { u: FIFTY.u.slice(0, 5) });
    expect(codes(res)).toEqual([]);
    const size = JSON.stringify(res.data).length;
    // The same answer is refused just under its size, and answered just over it.
    expect(codes(await setup({ config: { limits: limits({ maxResponseBytes: Math.round(size * 0.9) }) } }).gql(AMPLIFIED, { u: FIFTY.u.slice(0, 5) }))).toEqual(
      ['RESPONSE_TOO_LARGE'],
    );
    expect(codes(await setup({ config: { limits: limits({ maxResponseBytes: Math.round(size * 1.3) }) } }).gql(AMPLIFIED, { u: FIFTY.u.slice(0, 5) }))).toEqual(
      [],
    );
  });
});

describe('the operation deadline', () => {
  it('stops resolvers once the deadline has passed, keeping what was resolved, with one error', async () => {
    // `profile` resolves first; `stories` is cut short (and, its fields being non-null, nulls its user).
    const query = `{ profile: user(username: "khaby.lame") { username } stories: user(username: "khaby.lame") { stories(first: 100) { nodes { caption media { urls } } } } }`;
    const { gql } = setup();
    await gql(query); // warm: the next run reads only caches
    const real = Date.now.bind(Date);
    let reads = 0;
    // The operation's deadline is set from the first read of the clock; every later read is a minute on.
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => real() + (reads++ > 0 ? 60_000 : 0));
    try {
      const res = await gql(query);
      expect(codes(res)).toEqual(['OPERATION_TIMEOUT']);
      expect(res.data!.profile.username).toBe('khaby.lame');
    } finally {
      spy.mockRestore();
    }
  });

  it('answers the resolvers still called after a refusal with values their types serialise, custom scalars included', () => {
    const guard = new ExecutionGuard(10, Infinity);
    const infoOf = (returnType: GraphQLOutputType) => ({ path: { key: 'f' }, returnType }) as never;
    guard.run(() => 'x'.repeat(100), null, {}, {}, infoOf(GraphQLString)); // over the bound: refused
    expect(guard.failure?.extensions.code).toBe('RESPONSE_TOO_LARGE');
    for (const type of [URLResolver, DateTimeResolver, SafeIntResolver, GraphQLString, GraphQLBoolean, StoryKindLike]) {
      const blank = guard.run(() => 'never called', null, {}, {}, infoOf(new GraphQLNonNull(type)));
      expect(() => type.serialize(blank), type.name).not.toThrow();
    }
    expect(guard.run(() => 'never called', null, {}, {}, infoOf(new GraphQLList(GraphQLString)))).toBeNull();
    expect(guard.run(() => 'never called', null, {}, {}, infoOf(new GraphQLNonNull(new GraphQLList(GraphQLString))))).toEqual([]);
  });

  it('is checked by the guard itself', () => {
    const guard = new ExecutionGuard(1 << 20, Date.now() - 1);
    const info = { path: { key: 'f' } } as never;
    expect(() => {
      for (let i = 0; i < 1_000; i++) guard.run(() => 'x', null, {}, {}, info);
    }).toThrow(/deadline/);
    expect(guard.failure?.extensions.code).toBe('OPERATION_TIMEOUT');
  });
});

describe('large answers from cached data', () => {
  it('let the event loop turn while they are built', async () => {
    const { gql } = setup();
    await gql(AMPLIFIED, { u: FIFTY.u.slice(0, 20) }); // warms the caches: the next run is all in memory
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 0);
    const started = performance.now();
    let took = 0;
    await gql(AMPLIFIED, { u: FIFTY.u.slice(0, 20) }).then(() => (took = performance.now() - started));
    clearInterval(ticker);
    // An answer built in one go would let no timer run before it is done.
    expect(took).toBeGreaterThan(10);
    expect(turns).toBeGreaterThan(0);
  });
});
