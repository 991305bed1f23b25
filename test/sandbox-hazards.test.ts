/**
 * The sandbox personas for the design's hazards (full-graph §4): each behaves as documented in
 * src/sandbox/personas.ts, and conforms to the contract unless it breaks it on purpose (then only there).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_LACKING_ATTRIBUTED_TO, type Example } from '../src/sandbox/examples.js';
import { createSandbox } from '../src/sandbox/handler.js';
import { TWO_ARTIST_TRACK } from '../src/sandbox/ids.js';
import { MIXED_UNKNOWN_INDEX } from '../src/sandbox/search.js';
import { SANDBOX_NOW } from './helpers.js';
import { BASE, KEY, callRaw, checkCall, walk } from './sandbox-contract-helpers.js';

const sandbox = createSandbox({ now: () => SANDBOX_NOW });
const get = (path: string) => checkCall(sandbox, path);
const ids = (items: unknown[]) => (items as { id: string }[]).map((item) => item.id);

describe('H1: sparse_pages serves empty and half pages that still carry a cursor', () => {
  it.each(['videos', 'videos?order=popular', 'videos?order=oldest', 'likes', 'reposts', 'collections', 'followers', 'following'])('%s', async (list) => {
    const path = `/v1/tiktok/users/sparse_pages/${list}${list.includes('?') ? '&' : '?'}count=10`;
    const sizes: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { body } = await get(cursor ? `${path}&cursor=${cursor}` : path);
      sizes.push(body.data.itemCount);
      expect(body.data.totalItems).toBeNull();
      cursor = body.data.nextCursor;
      expect(cursor === null).toBe(page === 4);
    }
    expect(sizes).toEqual([0, 5, 0, 5, 10]);
    const { items } = await walk(sandbox, path);
    expect(new Set(ids(items)).size).toBe(items.length);
  });
});

describe('H2: lists that shift between fetches', () => {
  it('busy_comments: 3 new comments arrive at the top on every fetch, so the next page repeats 3', async () => {
    const { body } = await get('/v1/tiktok/users/busy_comments/videos?count=1');
    const comments = `/v1/tiktok/videos/${body.data.orderedItems[0].entityId}/comments?count=10`;
    const first = (await get(comments)).body.data;
    const second = (await get(`${comments}&cursor=${first.nextCursor}`)).body.data;
    expect(ids(second.orderedItems).slice(0, 3)).toEqual(ids(first.orderedItems).slice(7));
    expect(second.totalItems).toBe(first.totalItems + 3);
    const again = (await get(comments)).body.data;
    expect(ids(again.orderedItems).slice(6)).toEqual(ids(first.orderedItems).slice(0, 4));
    const fresh = createSandbox({ now: () => SANDBOX_NOW });
    expect(await (await fresh.fetch(`${BASE}${comments}`, { headers: KEY })).json()).toEqual({ data: first });
  });

  it.each(['/v1/tiktok/search?query=drifting', '/v1/tiktok/search/videos?query=drifting'])('%s drifts by 3 between fetches', async (search) => {
    const first = (await get(`${search}&count=10`)).body.data;
    const second = (await get(`${search}&count=10&cursor=${first.nextCursor}`)).body.data;
    expect(ids(second.orderedItems).slice(0, 3)).toEqual(ids(first.orderedItems).slice(7));
  });

  it('other searches stay put', async () => {
    const first = (await get('/v1/tiktok/search/videos?query=steady&count=10')).body.data;
    const second = (await get(`/v1/tiktok/search/videos?query=steady&count=10&cursor=${first.nextCursor}`)).body.data;
    expect(ids(second.orderedItems).filter((id) => ids(first.orderedItems).includes(id))).toEqual([]);
  });
});

describe('H6: billed answers that mean "nothing"', () => {
  it('live_user is live; a user not live gets 404 not_found, billed', async () => {
    expect((await get('/v1/tiktok/users/live_user')).body.data.isLive).toBe(true);
    const live = await get('/v1/tiktok/users/live_user/live');
    expect(live.status).toBe(200);
    expect(live.body.data).toMatchObject({ isLive: true, id: 'https://www.tiktok.com/@live_user/live' });
    expect((await get('/v1/tiktok/users/alice')).body.data.isLive).toBe(false);
    const notLive = await get('/v1/tiktok/users/alice/live');
    expect([notLive.status, notLive.body.errors[0].code, notLive.creditsUsed]).toEqual([404, 'not_found', '1']);
  });

  it('private_likes: hasLikes false, and its likes are an empty page (200, billed)', async () => {
    expect((await get('/v1/tiktok/users/private_likes')).body.data.hasLikes).toBe(false);
    const likes = await get('/v1/tiktok/users/private_likes/likes');
    expect([likes.status, likes.creditsUsed, likes.body.data.orderedItems, likes.body.data.nextCursor]).toEqual([200, '1', [], null]);
  });
});

const EXAMPLES = readdirSync(new URL('../contract/examples/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(`../contract/examples/${f}`, import.meta.url), 'utf8')) as Example);

describe('H7: the published examples, replayed verbatim', () => {
  it.each(EXAMPLES.map((e) => [e.operationId, e] as const))('%s', async (operationId, example) => {
    const url = new URL(example.request.url);
    const path = `${url.pathname.replace('/users/khaby.lame', '/users/example_replay')}${url.search}`;
    const { response, body, valid, errors } = await callRaw(sandbox, path);
    expect(response.status).toBe(example.response.status);
    expect(response.headers.get('x-credits-used')).toBe('1');
    expect(body).toEqual(example.response.body);
    if (EXAMPLES_LACKING_ATTRIBUTED_TO.includes(operationId)) {
      expect(valid).toBe(false);
      expect(errors.map((e) => [e.keyword, e.params.missingProperty])).toEqual(errors.map(() => ['required', 'attributedTo']));
    } else {
      expect(valid, JSON.stringify(errors)).toBe(true);
    }
    if (body.data.nextCursor) {
      const later = await checkCall(
        sandbox,
        `${path.split('?')[0]}?cursor=${body.data.nextCursor}${url.searchParams.get('query') ? `&query=${url.searchParams.get('query')}` : ''}`,
      );
      expect([later.body.data.orderedItems, later.body.data.nextCursor]).toEqual([[], null]);
    }
  });

  it('replays exactly the five examples that lack attributedTo as failing', () => {
    expect(EXAMPLES.length).toBe(20);
    expect(EXAMPLES_LACKING_ATTRIBUTED_TO).toHaveLength(5);
  });
});

describe('H9 and H11: big counts, mixed types, two artists', () => {
  it('viral: the newest video has 3,000,000,000 views, in the list and at /videos/{id}', async () => {
    for (const order of ['newest', 'popular']) {
      const video = (await get(`/v1/tiktok/users/viral/videos?order=${order}&count=1`)).body.data.orderedItems[0];
      expect(video.viewCount).toBe(3_000_000_000);
      expect((await get(`/v1/tiktok/videos/${video.entityId}`)).body.data.viewCount).toBe(3_000_000_000);
    }
  });

  it('search "mixed": Video, Person and Organization items, and one unknown type, the only contract violation', async () => {
    const { response, body, valid, errors } = await callRaw(sandbox, '/v1/tiktok/search?query=mixed&count=10');
    expect(response.status).toBe(200);
    const types = body.data.orderedItems.map((item: { type: string }) => item.type);
    expect(types).toEqual(expect.arrayContaining(['Video', 'Person', 'Organization']));
    expect(types[MIXED_UNKNOWN_INDEX]).toBe('Photo');
    expect(valid).toBe(false);
    expect(new Set(errors.map((e) => e.instancePath.split('/').slice(0, 4).join('/')))).toEqual(new Set([`/data/orderedItems/${MIXED_UNKNOWN_INDEX}`]));
    expect((await get('/v1/tiktok/search?query=mixed&count=10&cursor=10')).status).toBe(200);
    expect((await get('/v1/tiktok/search/videos?query=mixed&count=10')).status).toBe(200);
  });

  it('a two-artist track, used by videos that embed it the same way', async () => {
    const track = (await get(`/v1/tiktok/audios/${TWO_ARTIST_TRACK}`)).body.data;
    expect(track.attributedTo).toHaveLength(2);
    const { items } = await walk(sandbox, `/v1/tiktok/audios/${TWO_ARTIST_TRACK}/videos`);
    expect(items.length).toBeGreaterThan(0);
    for (const video of items as { audio: { attributedTo: unknown } }[]) expect(video.audio.attributedTo).toEqual(track.attributedTo);
  });
});

describe('latency applies to every route', () => {
  it('waits latencyMs before answering any route', async () => {
    const slow = createSandbox({ now: () => SANDBOX_NOW, latencyMs: 60 });
    for (const path of ['/v1/tiktok/search?query=cats&count=1', '/v1/tiktok/tags/fyp?count=1', '/v1/tiktok/audios/7100000000000000002']) {
      const started = performance.now();
      await slow.fetch(`${BASE}${path}`, { headers: KEY });
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    }
  });
});
