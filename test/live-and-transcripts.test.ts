/**
 * `User.liveStream` (billed 404s that mean "not live": H6), `Video.transcript` (36 languages mapped to
 * the contract's path segments: H12; a missing transcript is null) and `Video.downloadUrl`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { videoIdFor } from '../src/sandbox/ids.js';
import { listedUser } from '../src/sandbox/profiles.js';
import { searchUserNames } from '../src/sandbox/search.js';
import { liveStreamOf } from '../src/sandbox/social.js';
import { transcriptLanguages, transcriptOf } from '../src/sandbox/transcripts.js';
import { sandboxVideo, videoTotal } from '../src/sandbox/videos.js';
import { schema } from '../src/schema/index.js';
import { SANDBOX_NOW, codes, setup, runWithinEstimate as run, upstreamPaths as paths } from './helpers.js';

/** The contract's transcript languages, read from the OpenAPI file itself. */
const CONTRACT_LANGUAGES: string[] = (() => {
  const spec = parse(readFileSync(new URL('../contract/tiktok-openapi.yml', import.meta.url), 'utf8'));
  const parameters = spec.paths['/v1/tiktok/videos/{videoId}/transcripts/{language}'].get.parameters as { name: string; schema: { enum: string[] } }[];
  return parameters.find((p) => p.name === 'language')!.schema.enum;
})();

const KHABY_VIDEOS = Array.from({ length: videoTotal('khaby.lame') }, (_, serial) => videoIdFor('khaby.lame', serial));
/** A video with transcripts, one translation it has, and a video with none. */
const withTranscripts = KHABY_VIDEOS.find((id) => transcriptLanguages(sandboxVideo(id)!, CONTRACT_LANGUAGES).length > 1)!;
const translation = transcriptLanguages(sandboxVideo(withTranscripts)!, CONTRACT_LANGUAGES).find((l) => l !== 'original')!;
const withoutTranscripts = KHABY_VIDEOS.find((id) => transcriptLanguages(sandboxVideo(id)!, CONTRACT_LANGUAGES).length === 0)!;

describe('User.liveStream', () => {
  it('maps a stream on air: the profile, then the live call', async () => {
    const server = setup();
    const { res, used } = await run(
      server,
      `{ user(username: "live_user") { isLive liveStream {
        roomId url title startedAt isLive viewerCount viewCount host { username displayName } covers { url } streams { urls mediaType }
      } } }`,
    );
    expect(res.errors).toBeUndefined();
    const live = liveStreamOf('live_user', SANDBOX_NOW);
    expect(res.data!.user.liveStream).toEqual({
      roomId: live.entityId,
      url: live.url,
      title: live.content,
      startedAt: live.published,
      isLive: true,
      viewerCount: live.viewerCount,
      viewCount: live.viewCount,
      host: { username: 'live_user', displayName: expect.any(String) },
      covers: live.image!.map((i) => ({ url: i.url })),
      streams: live.attachment!.map((a) => ({ urls: a.url, mediaType: a.mediaType })),
    });
    expect(used).toBe(2);
  });

  it('asks nothing when the profile in hand says isLive: false (the estimate still counts the call)', async () => {
    const server = setup();
    const { res, used } = await run(server, `{ user(username: "khaby.lame") { isLive liveStream { roomId } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.user).toEqual({ isLive: false, liveStream: null });
    expect(used).toBe(1);
    expect(res.extensions!.upstream.estimatedCredits).toBe(2);
    expect(paths(server).some((p) => p.endsWith('/live'))).toBe(false);
  });

  it('asks only for the accounts whose embedded copy does not say isLive: false (search results)', async () => {
    const server = setup();
    const names = searchUserNames('cats').slice(0, 10);
    const live = names.filter((name) => listedUser(name).isLive !== false);
    expect(live.length).toBeLessThan(10);
    const { res, used } = await run(server, `{ searchUsers(query: "cats", first: 10) { nodes { username liveStream { roomId } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.searchUsers.nodes.filter((u: any) => u.liveStream !== null).map((u: any) => u.username)).toEqual(live);
    expect(used).toBe(1 + live.length);
    expect(res.extensions!.upstream.estimatedCredits).toBe(11);
  });

  it('is null without an error on the live 404 (billed), remembered for 30 s (H6)', async () => {
    const server = setup();
    // A video's author is an embedded copy that does not say whether they are live: the live endpoint answers.
    const query = `{ video(videoId: "${KHABY_VIDEOS[0]}") { author { username liveStream { roomId } } } }`;
    const first = await run(server, query);
    expect(first.res.errors).toBeUndefined();
    expect(first.res.data!.video.author).toEqual({ username: 'khaby.lame', liveStream: null });
    expect(first.used).toBe(2); // the video, and the live call (404)
    expect(server.sandbox.calls.at(-1)).toMatchObject({ path: '/v1/tiktok/users/khaby.lame/live', status: 404, creditsUsed: 1 });
    server.advance(29_000);
    const again = await run(server, query);
    expect(again.res.data!.video.author.liveStream).toBeNull();
    expect(again.used).toBe(0);
    server.advance(2_000);
    const later = await run(server, query);
    expect(later.res.errors).toBeUndefined();
    expect(later.used).toBe(1); // only the live call: the video is still fresh
  });

  it('leaves an unknown user NOT_FOUND on `user`', async () => {
    const server = setup();
    const { res, used } = await run(server, `{ user(username: "nobody") { liveStream { roomId } } }`);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.path).toEqual(['user']);
    expect(used).toBe(1);
  });
});

describe('Video.transcript', () => {
  const TRANSCRIPT = `query ($v: String!, $l: TranscriptLanguage!) { video(videoId: $v) { transcript(language: $l) { language source mediaType webvtt size url } } }`;

  it('answers the spoken-language transcript by default', async () => {
    const server = setup();
    const { res, used } = await run(server, `{ video(videoId: "${withTranscripts}") { transcript { language source mediaType webvtt size url } } }`);
    expect(res.errors).toBeUndefined();
    const raw = transcriptOf(sandboxVideo(withTranscripts)!, 'original');
    expect(res.data!.video.transcript).toEqual({
      language: raw.language,
      source: 'SPEECH_RECOGNITION',
      mediaType: 'text/vtt',
      webvtt: raw.content,
      size: raw.size,
      url: raw.url,
    });
    expect(used).toBe(2); // the video's detail (a transcript does not prove the video exists) and the transcript
    expect(paths(server)).toContain(`/v1/tiktok/videos/${withTranscripts}/transcripts/original`);
  });

  it('answers a machine translation', async () => {
    const server = setup();
    const name = translation.toUpperCase().replace(/-/g, '_');
    const { res } = await run(server, TRANSCRIPT, { v: withTranscripts, l: name });
    expect(res.errors).toBeUndefined();
    expect(res.data!.video.transcript).toMatchObject({ language: translation, source: 'MACHINE_TRANSLATION' });
  });

  it('is null without an error when there is none (a billed 404), and remembered', async () => {
    const server = setup();
    const { res, used } = await run(server, TRANSCRIPT, { v: withoutTranscripts, l: 'ORIGINAL' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.video.transcript).toBeNull();
    expect(used).toBe(2);
    expect(server.sandbox.calls.at(-1)).toMatchObject({ status: 404, creditsUsed: 1 });
    expect((await run(server, TRANSCRIPT, { v: withoutTranscripts, l: 'ORIGINAL' })).used).toBe(0);
  });

  it('has one enum value per contract language, ZH_HANS_CN for zh-Hans-CN', () => {
    const values = (schema.getType('TranscriptLanguage') as import('graphql').GraphQLEnumType).getValues();
    expect(values.map((v) => v.value).sort()).toEqual([...CONTRACT_LANGUAGES].sort());
    expect(values).toHaveLength(36);
    expect(values.find((v) => v.name === 'ZH_HANS_CN')!.value).toBe('zh-Hans-CN');
    expect(values.find((v) => v.name === 'ORIGINAL')!.value).toBe('original');
  });

  // H12: every enum value must reach the upstream as the contract's own path segment.
  it.each(CONTRACT_LANGUAGES.map((code) => [code.toUpperCase().replace(/-/g, '_'), code]))('%s asks /transcripts/%s', async (name, code) => {
    const server = setup();
    const { res } = await run(server, TRANSCRIPT, { v: withTranscripts, l: name });
    expect(res.errors).toBeUndefined();
    expect(paths(server)).toContain(`/v1/tiktok/videos/${withTranscripts}/transcripts/${code}`);
  });
});

describe('Video.downloadUrl', () => {
  it('passes the play URL of the video in hand, costs one call, and is cached', async () => {
    const server = setup();
    const query = `{ video(videoId: "${KHABY_VIDEOS[1]}") { downloadUrl } }`;
    const { res, used } = await run(server, query);
    expect(res.errors).toBeUndefined();
    expect(res.data!.video.downloadUrl).toMatch(/^https:\/\/v16m-default\.tiktokcdn-us\.com\//);
    expect(used).toBe(2);
    const download = new URL(`http://x${server.sandbox.calls.at(-1)!.path}`);
    expect(download.pathname).toBe(`/v1/tiktok/videos/${KHABY_VIDEOS[1]}/download`);
    expect(download.searchParams.get('url')).toMatch(/aweme\/v1\/play\//);
    expect((await run(server, query)).used).toBe(0);
  });

  it('costs one call per video in a list, without loading any video detail', async () => {
    const server = setup();
    const { res, used } = await run(server, `{ hashtag(name: "fyp") { videos(first: 2) { nodes { downloadUrl } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.hashtag.videos.nodes).toHaveLength(2);
    expect(used).toBe(3); // the tag page and two download URLs
    expect(paths(server).filter((p) => p.includes('/download?url=')).length).toBe(2);
  });

  it.each([
    ['a download URL after 30 min', '/download', `{ video(videoId: "${KHABY_VIDEOS[1]}") { downloadUrl } }`, 30 * 60_000],
    ['a live stream after 30 s', '/live', `{ user(username: "live_user") { liveStream { roomId } } }`, 30_000],
  ])('never serves %s from a stale copy when the upstream then fails (H10)', async (_, failingPath, query, ttlMs) => {
    let failing = false;
    const server = setup({
      wrapFetch: (fetch) => async (input, init) => {
        if (!failing || !String(input).includes(failingPath)) return fetch(input, init);
        const body = JSON.stringify({ errors: [{ code: 'platform_error', message: 'TikTok failed' }], data: null });
        return new Response(body, { status: 502, headers: { 'content-type': 'application/json' } });
      },
    });
    const fresh = await server.gql(query);
    expect(fresh.errors).toBeUndefined();
    server.advance(ttlMs + 1_000);
    failing = true;
    const res = await server.gql(query);
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(res.extensions!.upstream.stale).toEqual([]);
  });
});
