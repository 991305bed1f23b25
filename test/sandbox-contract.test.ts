/**
 * The sandbox must answer exactly what the OpenAPI file describes: every body it sends, on each of the 21
 * routes, is validated against the response schema of its path and status, and the credit headers are checked.
 */
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../src/sandbox/handler.js';
import { PERSONAS } from '../src/sandbox/personas.js';
import { OPERATIONS } from '../src/upstream/operations.generated.js';
import { SANDBOX_NOW } from './helpers.js';
import { BASE, KEY, callRaw, checkCall as check, validatorFor, walk } from './sandbox-contract-helpers.js';

const sandbox = createSandbox({ now: () => SANDBOX_NOW });
const call = (path: string, headers?: Record<string, string>) => check(sandbox, path, headers);

const USER = '/v1/tiktok/users/{username}';
const ORDINARY = ['khaby.lame', 'alice', 'bob_smith', 'x', 'a.very_long.name_24char', '@MixedCase'];
/** Personas whose every answer is meant to conform (no broken body, no wait, no published example). */
const FIXED_DATA = Object.keys(PERSONAS).filter((name) => {
  const p = PERSONAS[name]!;
  return !p.brokenBody && !p.breaksContract && !p.hangs && !p.latencyMs && !p.replaysExamples;
});
const CONFORMING_USERS = [...ORDINARY, ...FIXED_DATA, 'nameless', 'garbled_counts', 'odd_stories'];
const USER_LISTS = [
  'videos',
  'videos?order=popular',
  'videos?order=oldest',
  'likes',
  'reposts',
  'reposts?order=popular',
  'reposts?order=oldest',
  'collections',
  'following',
  'followers',
];

describe('sandbox conforms to tiktok-openapi.yml', () => {
  it.each([...ORDINARY, ...FIXED_DATA])('profile of %s', async (username) => {
    const { status } = await call(`/v1/tiktok/users/${encodeURIComponent(username)}`);
    const persona = PERSONAS[username];
    expect(status).toBe(persona?.status ?? 200);
  });

  it.each([...ORDINARY, ...FIXED_DATA])('every stories page of %s, and audio of every story', async (username) => {
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = `count=${page % 2 ? 35 : 7}${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await call(`/v1/tiktok/users/${encodeURIComponent(username)}/stories?${query}`);
      if (status !== 200) return;
      for (const story of body.data.orderedItems) {
        if (story.audio?.entityId) await call(`/v1/tiktok/audios/${story.audio.entityId}`);
      }
      cursor = body.data.nextCursor;
      if (!cursor) return;
    }
  });

  it.each(CONFORMING_USERS)('every page of every list of %s, and its live answer', async (username) => {
    const user = `/v1/tiktok/users/${encodeURIComponent(username)}`;
    const profile = await callRaw(sandbox, user); // some of these profiles break the contract on purpose
    for (const list of USER_LISTS) {
      const path = `${user}/${list}${list.includes('?') ? '&' : '?'}count=${list.length % 2 ? 30 : 7}`;
      if (profile.response.status !== 200) expect((await call(path)).status).toBe(profile.response.status);
      else await walk(sandbox, path);
    }
    const live = await call(`${user}/live`);
    if (profile.response.status === 200) expect(live.status).toBe(profile.body.data.isLive ? 200 : 404);
  });

  it.each(['alice', 'khaby.lame', 'minimal_user', 'busy_comments'])('every video route of the first videos of %s', async (username) => {
    const { body } = await call(`/v1/tiktok/users/${username}/videos?count=3`);
    for (const video of body.data.orderedItems) {
      const base = `/v1/tiktok/videos/${video.entityId}`;
      expect((await call(base)).status).toBe(200);
      expect((await call(`${base}/download`)).body.data.mediaType).toBe('video/mp4');
      const play = video.attachment?.[0]?.url[0] ?? 'https://www.tiktok.com/aweme/v1/play/?video_id=1';
      expect((await call(`${base}/download?url=${encodeURIComponent(play)}`)).status).toBe(200);
      const { items } = await walk(sandbox, `${base}/comments?count=50`);
      for (const comment of (items as { entityId?: string; id: string }[]).slice(0, 4)) {
        const commentId = comment.entityId ?? /\/comment\/(\d+)/.exec(comment.id)![1];
        await walk(sandbox, `${base}/comments/${commentId}/replies?count=20`);
      }
      for (const language of OPERATIONS.tiktokGetVideoTranscript.pathEnums.language) {
        expect([200, 404]).toContain((await call(`${base}/transcripts/${language}`)).status);
      }
    }
  });

  it('every page of tags, collections, audio lists and searches', async () => {
    for (const tag of ['fyp', 'dance', 'nosuchtag', '%23Recipe']) await walk(sandbox, `/v1/tiktok/tags/${tag}?count=30`);
    const collections = await call('/v1/tiktok/users/khaby.lame/collections');
    for (const collection of collections.body.data.orderedItems) await walk(sandbox, `/v1/tiktok/collections/${collection.entityId}?count=35`);
    const { body } = await call('/v1/tiktok/users/alice/videos?count=10');
    const tracks = new Set<string>(body.data.orderedItems.map((v: { audio: { entityId: string } }) => v.audio.entityId));
    for (const audioId of [...tracks, '7100000000000000002', '1234567890123456789']) {
      await call(`/v1/tiktok/audios/${audioId}`);
      await walk(sandbox, `/v1/tiktok/audios/${audioId}/videos`);
    }
    for (const query of ['cats', 'khaby', 'nike', 'a', 'Émile & co']) {
      for (const order of ['relevance', 'most-liked', 'date-posted']) {
        for (const published of ['all-time', 'this-month']) {
          const q = `query=${encodeURIComponent(query)}&order=${order}&published=${published}`;
          await walk(sandbox, `/v1/tiktok/search?${q}&count=100`);
          await walk(sandbox, `/v1/tiktok/search/videos?${q}&count=40`);
        }
      }
      await walk(sandbox, `/v1/tiktok/search/users?query=${encodeURIComponent(query)}`);
    }
  });

  const OUT_OF_RANGE = Object.entries(OPERATIONS).flatMap(([operationId, op]) => {
    if (!op.page) return [];
    const path = op.path
      .replace('{username}', 'alice')
      .replace('{videoId}', '7611615657754381599')
      .replace('{commentId}', '7611616052479869736')
      .replace('{tagName}', 'fyp')
      .replace('{collectionId}', '1')
      .replace('{audioId}', '7100000000000000002');
    const search = 'query' in op.query ? '&query=cats' : '';
    return [op.page.min - 1, op.page.max + 1, 1.5].map((count) => [operationId, `${path}?count=${count}${search}`] as const);
  });

  it.each(OUT_OF_RANGE)('%s: %s → 400 validation_error, refunded', async (_operation, path) => {
    const { status, body, creditsUsed } = await call(path);
    expect(status).toBe(400);
    expect(body.errors[0].code).toBe('validation_error');
    expect(creditsUsed).toBe('0');
  });

  it.each([
    ['/v1/tiktok/users/alice/stories?count=0', 400],
    ['/v1/tiktok/users/alice/stories?count=36', 400],
    ['/v1/tiktok/users/alice/stories?cursor=abc', 400],
    ['/v1/tiktok/users/alice/videos?order=random', 400],
    ['/v1/tiktok/users/alice/videos?cursor=-1', 400],
    ['/v1/tiktok/users/has%20space', 400],
    ['/v1/tiktok/users/has%20space/videos', 400],
    ['/v1/tiktok/users/%E0%A4%A', 400],
    ['/v1/tiktok/users/missing_one/followers', 404],
    ['/v1/tiktok/users/nobody/live', 404],
    ['/v1/tiktok/users/status_503/likes', 503],
    ['/v1/tiktok/audios/12', 404],
    ['/v1/tiktok/audios/abc', 400],
    ['/v1/tiktok/audios/12/videos', 404],
    ['/v1/tiktok/videos/7000000000000000000', 404],
    ['/v1/tiktok/videos/12/comments', 404],
    ['/v1/tiktok/videos/abc', 400],
    ['/v1/tiktok/videos/7000000000000000000/download', 404],
    ['/v1/tiktok/videos/7611615657754381599/download?url=not%20a%20url', 400],
    ['/v1/tiktok/videos/7611615657754381599/transcripts/klingon', 400],
    ['/v1/tiktok/videos/7611615657754381599/comments/7000000000000000000/replies', 404],
    ['/v1/tiktok/tags/missing_tag', 404],
    ['/v1/tiktok/tags/not%20a%20tag', 400],
    ['/v1/tiktok/collections/7000000000000000000', 404],
    ['/v1/tiktok/collections/abc', 400],
    ['/v1/tiktok/search', 400],
    ['/v1/tiktok/search/videos?query=', 400],
    ['/v1/tiktok/search?query=cats&order=newest', 400],
    ['/v1/tiktok/search/videos?query=cats&published=last-year', 400],
    ['/v1/tiktok/search/users?query=cats&count=9', 400],
  ])('%s → %i', async (path, expected) => {
    expect((await call(path)).status).toBe(expected);
  });

  it.each([
    [{}, 401, 'missing_api_key'],
    [{ authorization: 'Bearer nope' }, 401, 'invalid_api_key'],
    [{ authorization: 'Bearer knbn_disabled' }, 403, 'api_key_disabled'],
    [{ authorization: 'Bearer knbn_expired' }, 403, 'api_key_expired'],
    [{ authorization: 'Bearer knbn_no_credits' }, 402, 'credits_exhausted'],
  ])('account errors: %o → %i %s', async (headers, status, code) => {
    for (const path of ['/v1/tiktok/users/alice', '/v1/tiktok/search?query=cats', '/v1/tiktok/videos/7611615657754381599']) {
      const result = await call(path, headers as Record<string, string>);
      expect(result.status).toBe(status);
      expect(result.body.errors[0].code).toBe(code);
    }
  });

  it.each([
    '/v1/tiktok/nothing-here',
    '/v1/tiktok/users/alice/nothing',
    '/v1/tiktok/videos/7611615657754381599/nothing',
    '/v1/tiktok/search/nothing',
    '/v2/tiktok/users/alice',
  ])('answers %s with route_not_found, free of charge', async (path) => {
    const response = await sandbox.fetch(`${BASE}${path}`, { headers: KEY });
    expect(response.status).toBe(404);
    expect((await response.json()).errors[0].code).toBe('route_not_found');
    expect(response.headers.get('x-credits-used')).toBe('0');
  });

  it('answers a transcript as bare WebVTT when asked for text/vtt', async () => {
    const { body } = await call('/v1/tiktok/users/alice/videos?count=35');
    for (const video of body.data.orderedItems) {
      const response = await sandbox.fetch(`${BASE}/v1/tiktok/videos/${video.entityId}/transcripts/original`, { headers: { ...KEY, accept: 'text/vtt' } });
      if (response.status === 404) continue;
      expect(response.headers.get('content-type')).toBe('text/vtt');
      expect(await response.text()).toMatch(/^WEBVTT\n\n\d\d:\d\d:\d\d\.\d{3} --> /);
      return;
    }
    throw new Error('no video of alice has a transcript');
  });

  it('is deterministic: the same question gets the same answer', async () => {
    const again = createSandbox({ now: () => SANDBOX_NOW });
    for (const path of [
      '/v1/tiktok/users/alice/stories?count=35',
      '/v1/tiktok/users/alice/videos?order=popular',
      '/v1/tiktok/search?query=cats',
      '/v1/tiktok/users/bob/followers',
    ]) {
      const a = await (await sandbox.fetch(`${BASE}${path}`, { headers: KEY })).text();
      const b = await (await again.fetch(`${BASE}${path}`, { headers: KEY })).text();
      expect(a).toBe(b);
    }
  });

  it('serves broken bodies for the bad_* personas on every user route (so they do fail the contract)', async () => {
    for (const username of ['bad_json', 'bad_html', 'bad_contract']) {
      for (const sub of ['', '/videos', '/followers']) {
        const response = await sandbox.fetch(`${BASE}/v1/tiktok/users/${username}${sub}`, { headers: KEY });
        const text = await response.text();
        let valid = false;
        try {
          valid = validatorFor(`${USER}${sub}`, 200)(JSON.parse(text)) as boolean;
        } catch {
          valid = false;
        }
        expect(valid, username).toBe(false);
      }
    }
  });
});
