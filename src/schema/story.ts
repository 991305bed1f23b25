/** `Story`: a story's content, counts, author, media and audio, and how `node(id:)` finds one again. */
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { FIRST_PAGE, type Story, type StoryPage } from '../upstream/types.js';
import { audioIdOf } from './audio.js';
import { contractValue } from './contract-fields.js';
import { parseStoryLocalId, storyLocalId } from './global-ids.js';
import { complete, cost, declareNodeCost } from '../cost/declarations.js';
import type { ListSpec } from './connections.js';
import { parseUsername } from './inputs.js';
import { AudioRef, ImageRef, MediaRef, StoryRef, type StorySource, UserRef } from './refs.js';

export const StoryKind = builder.enumType('StoryKind', {
  description: 'What a story shows.',
  values: {
    VIDEO: { description: 'A video clip.' },
    IMAGE: { description: 'One or more still images.' },
  },
});

function kindOf(story: Story): 'VIDEO' | 'IMAGE' {
  if (story.type === 'Image') return 'IMAGE';
  if (story.type === 'Video') return 'VIDEO';
  return story.attachment?.some((a) => a.mediaType?.startsWith('video/')) ? 'VIDEO' : 'IMAGE';
}

/** A user's active stories, newest first. */
export const storiesOf = (username: string): ListSpec<'tiktokGetUserStories', StorySource> => ({
  operation: 'tiktokGetUserStories',
  params: { username },
  itemId: (story) => story.entityId ?? null,
  node: (story) => ({ username, story }),
});

/** Finds a story by scanning its owner's pages (each usually cached); stories expire after 24 hours. */
async function findStory(localId: string, ctx: GraphContext): Promise<StorySource> {
  const { username: rawUsername, storyId } = parseStoryLocalId(localId);
  const username = parseUsername(rawUsername, 'id');
  let pageCursor: string | null | undefined = FIRST_PAGE;
  for (let scanned = 0; pageCursor && scanned < ctx.config.storyLookupMaxPages; scanned++) {
    const page: StoryPage = await ctx.loaders.call('tiktokGetUserStories', { username, cursor: pageCursor });
    const story = page.orderedItems.find((item) => item.entityId === storyId);
    if (story) return { username, story };
    pageCursor = page.nextCursor;
  }
  throw new NotFoundError(`Story ${storyId} of "${username}" no longer exists (stories expire after 24 hours).`);
}

const count = (description: string, key: 'viewCount' | 'likeCount' | 'commentCount' | 'repostCount' | 'shareCount' | 'saveCount') =>
  ({ type: 'SafeInt', description, resolve: ({ story }: StorySource) => contractValue(story, key) }) as const;

declareNodeCost('Story', (id, c) => {
  parseUsername(parseStoryLocalId(id).username);
  return c.ctx.config.storyLookupMaxPages + c.children('embedded', {}, 'Story');
});

builder.node(StoryRef, {
  extensions: complete,
  description: 'A story: a video or images visible for 24 hours.',
  id: { resolve: ({ username, story }) => storyLocalId(username, contractValue(story, 'entityId')) },
  loadWithoutCache: (localId, ctx) => findStory(localId, ctx),
  fields: (t) => ({
    storyId: t.string({ description: 'TikTok’s id of the story.', resolve: ({ story }) => contractValue(story, 'entityId') }),
    url: t.field({ type: 'URL', description: 'The story on tiktok.com.', resolve: ({ story }) => contractValue(story, 'url') }),
    kind: t.field({ type: StoryKind, description: 'Video or images.', resolve: ({ story }) => kindOf(story) }),
    caption: t.string({ nullable: true, description: 'The caption.', resolve: ({ story }) => contractValue(story, 'content') }),
    publishedAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: ({ story }) => contractValue(story, 'published') }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, description: 'When it disappears.', resolve: ({ story }) => contractValue(story, 'endTime') }),
    duration: t.float({ nullable: true, description: 'Length in seconds (videos).', resolve: ({ story }) => contractValue(story, 'duration') }),
    viewCount: t.field(count('Views.', 'viewCount')),
    likeCount: t.field(count('Likes.', 'likeCount')),
    commentCount: t.field(count('Comments.', 'commentCount')),
    repostCount: t.field(count('Reposts.', 'repostCount')),
    shareCount: t.field(count('Shares.', 'shareCount')),
    saveCount: t.field(count('Saves (bookmarks).', 'saveCount')),
    author: t.field({
      type: UserRef,
      description: 'Who posted it.',
      resolve: ({ username, story }) => ({ username, embedded: story.attributedTo }),
      // In a list of one user's stories, the list counts the owner's profile once.
      extensions: cost((c) => c.children(c.scope.ownerField === 'author' ? 'loaded' : 'embedded')),
    }),
    media: t.field({
      type: [MediaRef],
      description: 'Every rendition of the story: video files in each quality, or the images of an image story.',
      resolve: ({ story }) => {
        const videos = story.attachment ?? [];
        if (videos.length > 0) return videos.map((attachment) => ({ attachment }));
        return (story.image ?? []).map((img) => ({
          attachment: { type: 'Image', url: [img.url], width: img.width, height: img.height },
        }));
      },
    }),
    cover: t.field({ type: ImageRef, nullable: true, description: 'The cover (first) image.', resolve: ({ story }) => story.image?.[0] }),
    images: t.field({
      type: [ImageRef],
      description: 'All images: the cover or thumbnails of a video, the pictures of an image story.',
      resolve: ({ story }) => story.image ?? [],
    }),
    preview: t.field({ type: ImageRef, nullable: true, description: 'Animated preview thumbnail.', resolve: ({ story }) => story.preview }),
    audio: t.field({
      type: AudioRef,
      nullable: true,
      description: 'The sound playing in the story.',
      extensions: cost((c) => c.children('embedded')),
      resolve: ({ story }) => {
        const audioId = story.audio && audioIdOf(story.audio);
        return audioId ? { audioId, embedded: story.audio } : null;
      },
    }),
  }),
});
