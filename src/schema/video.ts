/** `Video`: a video post, its counts, author, sound, hashtags and media, and the root lookups `video` and `videos`. */
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import { type CostInput, complete, cost, declareNodeCost, distinctEntries, embeddedCopy } from '../cost/declarations.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { Video } from '../upstream/types.js';
import { resourceField } from './contract-fields.js';
import { audioIdOf, usernameOf } from './embedded.js';
import { checkListLength, parseVideoId } from './inputs.js';
import { selectedFields } from './prefetch.js';
import { AudioRef, HashtagRef, ImageRef, MediaRef, PlaceRef, UserRef, VideoRef, type VideoSource } from './refs.js';

/** Video fields answered without the video's body: its id, and its comments (whose page proves it exists). */
export const VIDEO_DETAIL_FREE = new Set(['__typename', 'id', 'videoId', 'comments']);

/**
 * Whether a video named by id must load its detail for `fields`: when a field needs the body, or when
 * nothing would prove the video exists (its comments page does; a comment's video is proven by the comment).
 */
const needsDetails = (fields: readonly { name: string }[], proven: boolean) =>
  fields.some((f) => !VIDEO_DETAIL_FREE.has(f.name)) || (!proven && !fields.some((f) => f.name === 'comments'));

const loadDetails = (videoId: string, ctx: GraphContext) => ctx.loaders.call('tiktokGetVideo', { videoId });

/** A video field: from the body in hand, else from the video's detail (once per video and operation). */
function videoField<K extends keyof Video>(source: VideoSource, key: K, ctx: GraphContext): Video[K] | Promise<Video[K]> {
  return resourceField<Video, K>(source.video, undefined, key, () => loadDetails(source.videoId, ctx));
}

/**
 * A video for a field that names it by id (video, videos, node, _entities, a comment's video): its
 * detail is loaded here, so that its failure is this field's, unless only free fields are selected.
 */
export async function loadVideo(source: VideoSource, ctx: GraphContext, info: GraphQLResolveInfo, proven = false): Promise<VideoSource> {
  if (source.video || !needsDetails(selectedFields(info, 'Video'), proven)) return source;
  return { videoId: source.videoId, video: await loadDetails(source.videoId, ctx) };
}

/** What looking a video up by id costs: its detail unless only free fields are read, then its selections. */
export function videoLookupCost(c: CostInput, videoId: string): number {
  const details = needsDetails(c.subfields('Video'), false) ? 1 : 0;
  return details + c.children(details ? 'loaded' : 'embedded', { key: videoId }, 'Video');
}

declareNodeCost('Video', (id, c) => videoLookupCost(c, parseVideoId(id, 'id')));

/** The author's username: the embedded author's, else the handle in the video's permalink. */
function authorOf(video: Video) {
  const embedded = video.attributedTo as Video['attributedTo'] | undefined;
  const username = (embedded && usernameOf(embedded)) ?? /\/@([^/?#]+)\/video\//.exec(video.url ?? video.id)?.[1]?.toLowerCase();
  if (!username) throw new CodedError(ErrorCode.UPSTREAM_BAD_RESPONSE, 'KonbiniAPI’s answer names no author for this video.');
  return { username, embedded };
}

/** Hashtags assumed per video by the estimate (the ledger refuses calls past the estimate if there are more). */
export const HASHTAGS_PER_VIDEO = 10;

const count = (description: string, key: 'viewCount' | 'likeCount' | 'commentCount' | 'repostCount' | 'shareCount' | 'saveCount') =>
  ({ type: 'SafeInt', description, resolve: (v: VideoSource, _: unknown, ctx: GraphContext) => videoField(v, key, ctx) }) as const;

builder.node(VideoRef, {
  description:
    'A TikTok video post. A video in a list holds every field; a video named by id loads its detail once, ' +
    'unless only `id`, `videoId` and `comments` are read.',
  // A video named by id only: any field but these loads its detail.
  extensions: embeddedCopy(['id', 'videoId']),
  id: { resolve: (v) => v.videoId },
  loadWithoutCache: (id, ctx, info) => loadVideo({ videoId: parseVideoId(id, 'id') }, ctx, info),
  fields: (t) => ({
    videoId: t.string({ description: 'TikTok’s id of the video (`entityId`): 19 digits, always a string.', resolve: (v) => v.videoId }),
    url: t.field({ type: 'URL', description: 'The video on tiktok.com.', resolve: (v, _, ctx) => videoField(v, 'url', ctx) }),
    caption: t.string({ nullable: true, description: 'The caption.', resolve: (v, _, ctx) => videoField(v, 'content', ctx) }),
    publishedAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: (v, _, ctx) => videoField(v, 'published', ctx) }),
    duration: t.float({ nullable: true, description: 'Length in seconds.', resolve: (v, _, ctx) => videoField(v, 'duration', ctx) }),
    viewCount: t.field(count('Views (viral videos exceed 2^31).', 'viewCount')),
    likeCount: t.field(count('Likes.', 'likeCount')),
    commentCount: t.field(count('Comments.', 'commentCount')),
    repostCount: t.field(count('Reposts.', 'repostCount')),
    shareCount: t.field(count('Shares.', 'shareCount')),
    saveCount: t.field(count('Saves (bookmarks).', 'saveCount')),
    language: t.string({ nullable: true, description: 'Content language (BCP 47).', resolve: (v, _, ctx) => videoField(v, 'language', ctx) }),
    isSponsored: t.boolean({ nullable: true, description: 'Whether it is a promoted ad.', resolve: (v, _, ctx) => videoField(v, 'isSponsored', ctx) }),
    location: t.field({
      type: PlaceRef,
      nullable: true,
      description: 'Where it was made.',
      resolve: async (v, _, ctx) => (await videoField(v, 'location', ctx)) ?? null,
    }),
    hashtags: t.field({
      type: [HashtagRef],
      description: 'Hashtags of the caption: `tag` items, less those that link to a profile (`/@…`).',
      // The contract bounds no list of tags: assume as many as this, and let the ledger stop the rest.
      extensions: cost((c) => HASHTAGS_PER_VIDEO * c.children('loaded')),
      resolve: async (v, _, ctx) =>
        ((await videoField(v, 'tag', ctx)) ?? [])
          .filter((tag) => !tag.href?.includes('/@') && tag.name.replace(/^#/, '').trim() !== '')
          .map((tag) => ({ name: tag.name.replace(/^#/, '').normalize('NFC').toLowerCase() })),
    }),
    author: t.field({
      type: UserRef,
      description: 'Who posted it.',
      resolve: async (v, _, ctx) => authorOf(v.video ?? (await loadDetails(v.videoId, ctx))),
      // In a list of one user's videos, the list counts the owner's profile once.
      extensions: cost((c) => c.children(c.scope.ownerField === 'author' ? 'loaded' : 'embedded')),
    }),
    audio: t.field({
      type: AudioRef,
      nullable: true,
      description: 'The sound.',
      resolve: async (v, _, ctx) => {
        const audio = await videoField(v, 'audio', ctx);
        const audioId = audio && audioIdOf(audio);
        return audio && audioId ? { audioId, embedded: audio } : null;
      },
      extensions: cost((c) => c.children('embedded')),
    }),
    media: t.field({
      type: [MediaRef],
      description: 'The video file in each quality, with the headers TikTok’s CDN wants.',
      resolve: async (v, _, ctx) => ((await videoField(v, 'attachment', ctx)) ?? []).map((attachment) => ({ attachment })),
    }),
    cover: t.field({
      type: ImageRef,
      nullable: true,
      description: 'The cover (first thumbnail).',
      resolve: async (v, _, ctx) => (await videoField(v, 'image', ctx))?.[0],
    }),
    images: t.field({ type: [ImageRef], description: 'Every thumbnail.', resolve: async (v, _, ctx) => (await videoField(v, 'image', ctx)) ?? [] }),
    preview: t.field({ type: ImageRef, nullable: true, description: 'Animated preview thumbnail.', resolve: (v, _, ctx) => videoField(v, 'preview', ctx) }),
  }),
});

PlaceRef.implement({
  description: 'Where a video was made.',
  extensions: complete,
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Place name or country code.' }),
    placeId: t.string({ nullable: true, description: 'TikTok’s id of the place.', resolve: (p) => p.id }),
    url: t.field({ type: 'URL', nullable: true, description: 'The place’s page.', resolve: (p) => p.url }),
    latitude: t.float({ nullable: true, description: 'Latitude.', resolve: (p) => p.latitude }),
    longitude: t.float({ nullable: true, description: 'Longitude.', resolve: (p) => p.longitude }),
  }),
});

builder.queryFields((t) => ({
  video: t.field({
    type: VideoRef,
    nullable: true,
    description: 'A video by its TikTok id; null with NOT_FOUND when there is none.',
    args: { videoId: t.arg.string({ required: true, description: 'The video’s id (digits).' }) },
    resolve: (_, { videoId }, ctx, info) => loadVideo({ videoId: parseVideoId(videoId) }, ctx, info),
    extensions: cost((c) => c.check(() => videoLookupCost(c, parseVideoId(String(c.args.videoId))), 0)),
  }),
  videos: t.field({
    type: [VideoRef],
    nullable: { list: false, items: true },
    description: 'Several videos: one entry per id, in order, null (with an error) where missing.',
    args: { videoIds: t.arg.stringList({ required: true, description: 'Video ids (digits).' }) },
    resolve: (_, { videoIds }, ctx, info) => {
      checkListLength(videoIds.length, ctx.config.maxListLength, 'videoIds');
      return videoIds.map(async (raw) => loadVideo({ videoId: parseVideoId(raw, 'videoIds') }, ctx, info));
    },
    extensions: cost((c) =>
      distinctEntries(c, 'videoIds').reduce((total, id) => total + c.check(() => videoLookupCost(c, parseVideoId(id, 'videoIds')), 0), 0),
    ),
  }),
}));
