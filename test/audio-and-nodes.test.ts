import { describe, expect, it } from 'vitest';
import { sandboxAudio } from '../src/sandbox/data.js';
import { testConfig } from '../src/config.js';
import { encodeGlobalID } from '../src/schema/global-ids.js';
import { SANDBOX_NOW, codes, setup } from './helpers.js';

const AUDIO_FIELDS = `id audioId title url permalink duration mediaType album isOriginal isCopyrighted videoCount
  authors { username displayName } cover { url } covers { url width height }`;

/** Finds, among the sandbox's first stories of `username`, a track with one author and one with several. */
async function tracks(gql: ReturnType<typeof setup>['gql']) {
  const res = await gql(`{ user(username: "khaby.lame") { stories(first: 60) { nodes { audio { audioId authors { username } } } } } }`);
  const audios = res.data!.user.stories.nodes.map((n: any) => n.audio).filter(Boolean);
  return {
    single: audios.find((a: any) => a.authors.length === 1).audioId as string,
    several: audios.find((a: any) => a.authors.length > 1).audioId as string,
  };
}

describe('Audio', () => {
  it('maps every field of the audio endpoint, with one author or several', async () => {
    const { gql } = setup();
    const { single, several } = await tracks(gql);
    for (const audioId of [single, several]) {
      const raw = sandboxAudio(audioId);
      const res = await gql(`query ($id: String!) { audio(audioId: $id) { ${AUDIO_FIELDS} } }`, { id: audioId });
      expect(res.errors).toBeUndefined();
      const authors = Array.isArray(raw.attributedTo) ? raw.attributedTo : [raw.attributedTo!];
      expect(res.data!.audio).toEqual({
        id: encodeGlobalID('Audio', audioId),
        audioId,
        title: raw.name,
        url: raw.url,
        permalink: raw.id,
        duration: raw.duration,
        mediaType: 'audio/mpeg',
        album: raw.album ?? null,
        isOriginal: raw.isOriginal,
        isCopyrighted: raw.isCopyrighted,
        videoCount: raw.videoCount,
        authors: authors.map((a) => ({ username: a.url!.split('@')[1], displayName: a.name })),
        cover: { url: raw.icon!.url },
        covers: raw.image!.map(({ url, width, height }) => ({ url, width, height })),
      });
    }
  });

  it('answers a story’s audio from the embedded copy, and asks the endpoint only for fields it lacks', async () => {
    // Every field of 35 tracks and their artists could cost 211 credits if the copies lacked them.
    const { gql, sandbox } = setup({ config: { limits: { ...testConfig().limits, maxCreditsPerOperation: 1000 } } });
    const embeddedFields = AUDIO_FIELDS.replace('album', '');
    const res = await gql(`{ user(username: "khaby.lame") { stories(first: 35) { nodes { audio { ${embeddedFields} } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(sandbox.calls.filter((c) => c.path.includes('/audios/'))).toHaveLength(0);

    // Original sounds carry no album: the embedded copy cannot tell "none" from "left out", so the
    // endpoint is asked, once per distinct track.
    const withAlbum = await gql(`{ user(username: "khaby.lame") { stories(first: 35) { nodes { audio { audioId isOriginal album } } } } }`);
    const originals = new Set(
      withAlbum
        .data!.user.stories.nodes.map((n: any) => n.audio)
        .filter((a: any) => a?.isOriginal)
        .map((a: any) => a.audioId),
    );
    expect(originals.size).toBeGreaterThan(0);
    expect(sandbox.calls.filter((c) => c.path.includes('/audios/'))).toHaveLength(originals.size);
  });

  it('returns NOT_FOUND for a missing track and BAD_USER_INPUT for a malformed id', async () => {
    const { gql, calls } = setup();
    expect(codes(await gql(`{ audio(audioId: "123") { title } }`))).toEqual(['NOT_FOUND']);
    expect(calls()).toBe(1);
    expect(codes(await gql(`{ audio(audioId: "abc") { title } }`))).toEqual(['BAD_USER_INPUT']);
    expect(calls()).toBe(1);
  });
});

describe('Node', () => {
  it('refetches every kind of id the server hands out', async () => {
    const { gql } = setup();
    const res = await gql(`{ user(username: "khaby.lame") { id stories(first: 40) { nodes { id storyId audio { id audioId } } } } }`);
    const user = res.data!.user;
    const story = user.stories.nodes[37];
    const audio = user.stories.nodes.find((n: any) => n.audio).audio;
    const refetch = await gql(
      `query ($ids: [ID!]!, $u: ID!, $s: ID!, $a: ID!) {
        u: node(id: $u) { __typename id ... on User { username } }
        s: node(id: $s) { __typename id ... on Story { storyId author { username } } }
        a: node(id: $a) { __typename id ... on Audio { audioId } }
        all: nodes(ids: $ids) { __typename id }
      }`,
      { u: user.id, s: story.id, a: audio.id, ids: [user.id, story.id, audio.id] },
    );
    expect(refetch.errors).toBeUndefined();
    expect(refetch.data).toEqual({
      u: { __typename: 'User', id: user.id, username: 'khaby.lame' },
      s: { __typename: 'Story', id: story.id, storyId: story.storyId, author: { username: 'khaby.lame' } },
      a: { __typename: 'Audio', id: audio.id, audioId: audio.audioId },
      all: [
        { __typename: 'User', id: user.id },
        { __typename: 'Story', id: story.id },
        { __typename: 'Audio', id: audio.id },
      ],
    });
  });

  it('returns null and NOT_FOUND for a story that expired', async () => {
    let now = SANDBOX_NOW;
    const { gql } = setup({ sandbox: { now: () => now }, config: { cache: { ...(await import('../src/config.js')).DEFAULT_CACHE, storyPageTtlMs: 0 } } });
    const res = await gql(`{ user(username: "few_stories") { stories { nodes { id } } } }`);
    const id = res.data!.user.stories.nodes[0].id;
    now += 25 * 60 * 60 * 1000;
    const gone = await gql(`query ($id: ID!) { node(id: $id) { id } }`, { id });
    expect(gone.data).toEqual({ node: null });
    expect(codes(gone)).toEqual(['NOT_FOUND']);
    expect(gone.errors![0]!.message).toMatch(/expire/);
  });

  it.each([
    ['not base64', '%%%'],
    ['unknown type', encodeGlobalID('Playlist', '1')],
    ['no separator', Buffer.from('User').toString('base64url')],
    ['bad username', encodeGlobalID('User', 'bad name')],
    ['bad story id', encodeGlobalID('Story', 'only-one-part')],
    ['bad audio id', encodeGlobalID('Audio', 'abc')],
  ])('refuses a malformed id (%s) without an upstream call', async (_, id) => {
    const { gql, calls } = setup();
    const res = await gql(`query ($id: ID!) { node(id: $id) { id } }`, { id });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(calls()).toBe(0);
  });

  it('refuses more ids than the list limit', async () => {
    const { gql, calls } = setup({ config: { maxListLength: 2 } });
    const id = encodeGlobalID('User', 'alice');
    const res = await gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [id, id, id] });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(calls()).toBe(0);
  });
});
