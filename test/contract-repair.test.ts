/**
 * Bodies that break the OpenAPI contract: checked by the validators compiled from the file, repaired,
 * and answered field by field. Through HTTP against the server process on its sandbox, whose personas
 * break the contract in one place each; and the checker itself on every published example.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIOLATIONS, checkBody, violatedProperty } from '../src/upstream/contract.js';
import type { OperationId } from '../src/upstream/endpoints.js';
import { type ServerProcess, killServers, startServer } from './server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServer();
}, 30_000);
afterAll(killServers);

const codesAt = (res: any) => (res.errors ?? []).map((e: any) => [e.path?.join('.'), e.extensions?.code]);

describe('a body that breaks the contract is answered where it can be', () => {
  it('a profile without the required `name`: displayName fails alone, the user and its other fields answer', async () => {
    const res = await server.query(`{ user(username: "nameless") { username displayName followerCount isVerified } }`);
    expect(res.data.user).toMatchObject({ username: 'nameless', displayName: null, isVerified: expect.any(Boolean) });
    expect(res.data.user.followerCount).toEqual(expect.any(Number));
    expect(codesAt(res)).toEqual([['user.displayName', 'UPSTREAM_BAD_RESPONSE']]);
    expect(res.errors[0].message).toContain('`name`');
  });

  it('a count of the wrong type fails that field only, never INTERNAL_SERVER_ERROR', async () => {
    const res = await server.query(`{ user(username: "garbled_counts") { username displayName followerCount followingCount } }`);
    expect(res.data.user.followerCount).toBeNull();
    expect(res.data.user.displayName).toEqual(expect.any(String));
    expect(res.data.user.followingCount).toEqual(expect.any(Number));
    expect(codesAt(res)).toEqual([['user.followerCount', 'UPSTREAM_BAD_RESPONSE']]);
  });

  it('a story lacking `published` fails at its own field; an item that is not a story is dropped; the rest answer', async () => {
    const res = await server.query(`{ user(username: "odd_stories") { stories(first: 10) { totalCount nodes { storyId caption } } } }`);
    expect(res.errors).toBeUndefined();
    // Five stories, one not an object: four remain, in order.
    expect(res.data.user.stories.nodes).toHaveLength(4);
    const dated = await server.query(`{ user(username: "odd_stories") { stories(first: 10) { nodes { storyId publishedAt } } } }`);
    // publishedAt is non-null: the broken story's node is lost up to the nullable connection, with the code at the field.
    expect(codesAt(dated)).toEqual([['user.stories.nodes.1.publishedAt', 'UPSTREAM_BAD_RESPONSE']]);
  });

  it('a body with no usable data is UPSTREAM_BAD_RESPONSE at the field that needed it', async () => {
    const res = await server.query(`{ a: user(username: "bad_json") { displayName } b: user(username: "alice") { displayName } }`);
    expect(res.data.a).toBeNull();
    expect(res.data.b.displayName).toEqual(expect.any(String));
    expect(codesAt(res)).toEqual([['a', 'UPSTREAM_BAD_RESPONSE']]);
  });

  it('counts what broke in /metrics', async () => {
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    const user = /konbini_upstream_contract_violations_total\{endpoint="user"\} (\d+)/.exec(metrics);
    const stories = /konbini_upstream_contract_violations_total\{endpoint="stories"\} (\d+)/.exec(metrics);
    expect(Number(user?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(stories?.[1])).toBeGreaterThanOrEqual(2);
  });
});

describe('checkBody over the published examples', () => {
  const dir = new URL('../contract/examples/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('has the 20 example files', () => expect(files).toHaveLength(20));

  it.each(files)('%s keeps all its data; only a missing `attributedTo` is ever flagged', (file) => {
    const operation = /konbiniapi-(\w+)-example\.json/.exec(file)![1] as OperationId;
    const body = JSON.parse(readFileSync(new URL(file, dir), 'utf8')).response.body;
    const items = Array.isArray(body.data?.orderedItems) ? body.data.orderedItems.length : undefined;
    const { data, violations } = checkBody(operation, body);
    expect(data).toBe(body.data);
    for (const pointer of violations) expect(pointer).toMatch(/\/attributedTo$/);
    if (items !== undefined) expect((data as any).orderedItems).toHaveLength(items);
  });

  it('marks a missing required property and removes an invalid one', () => {
    const body = JSON.parse(readFileSync(new URL('konbiniapi-tiktokGetUser-example.json', dir), 'utf8')).response.body;
    delete body.data.name;
    body.data.likeCount = 'lots';
    const { data, violations } = checkBody('tiktokGetUser', body);
    expect(violations.sort()).toEqual(['/data/likeCount', '/data/name']);
    expect(violatedProperty(data as object, 'name')).toBe(true);
    expect(violatedProperty(data as object, 'likeCount')).toBe(true);
    expect((data as any).likeCount).toBeUndefined();
    expect(violatedProperty(data as object, 'followerCount')).toBe(false);
    // The marks never reach JSON (the caches keep the body as it is).
    expect(JSON.stringify(data)).not.toContain('lots');
    expect(Object.keys(data as object)).not.toContain(VIOLATIONS);
  });

  it('refuses a body without a data object', () => {
    expect(checkBody('tiktokGetUser', { data: 'nope' }).data).toBeUndefined();
    expect(checkBody('tiktokGetUser', {}).data).toBeUndefined();
    expect(checkBody('tiktokGetUser', null).data).toBeUndefined();
  });
});
