/** `Comment`: comments on a video and replies to them, `Video.comments`, and how `node(id:)` finds one again. */
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import { complete, cost, declareNodeCost } from '../cost/declarations.js';
import { BadUserInputError, CodedError, ErrorCode, NotFoundError } from '../errors.js';
import { FIRST_PAGE } from '../upstream/endpoints.js';
import type { Comment } from '../upstream/types.js';
import { type ListSpec, connectionCost, emptyConnection, resolveConnection } from './connections.js';
import { contractValue } from './contract-fields.js';
import { parseNumericId, parseVideoId } from './inputs.js';
import { CommentConnection, embeddedUser } from './lists.js';
import { type CommentSource, CommentRef, UserRef, VideoRef, type VideoSource } from './refs.js';
import { loadVideo } from './video.js';

/** A comment's TikTok id: `entityId`, else the digits after `/comment/` in its permalink. */
export function commentIdOf(comment: Comment): string | undefined {
  return comment.entityId ?? /\/comment\/(\d+)/.exec(comment.url ?? comment.id)?.[1];
}

const requireId = (comment: Comment) => {
  const id = commentIdOf(comment);
  if (!id) throw new CodedError(ErrorCode.UPSTREAM_BAD_RESPONSE, 'KonbiniAPI’s answer gives this comment no id.');
  return id;
};

/** The top-level comments of a video, in TikTok's order. */
export const commentsOf = (video: VideoSource): ListSpec<'tiktokGetVideoComments', CommentSource> => ({
  operation: 'tiktokGetVideoComments',
  params: { videoId: video.videoId },
  itemId: (comment) => commentIdOf(comment) ?? null,
  node: (comment) => ({ video, comment, parentId: null }),
});

/** The replies to a comment. */
export const repliesOf = (video: VideoSource, parentId: string): ListSpec<'tiktokGetCommentReplies', CommentSource> => ({
  operation: 'tiktokGetCommentReplies',
  params: { videoId: video.videoId, commentId: parentId },
  itemId: (comment) => commentIdOf(comment) ?? null,
  node: (comment) => ({ video, comment, parentId }),
});

/** Local id: `{videoId}:{commentId}`, or `{videoId}:{commentId}:{parentId}` for a reply. */
const localId = ({ video, comment, parentId }: CommentSource) => [video.videoId, requireId(comment), ...(parentId ? [parentId] : [])].join(':');

function parseLocalId(id: string) {
  const [videoId, commentId, parentId, ...rest] = id.split(':');
  if (!videoId || !commentId || rest.length > 0) throw new BadUserInputError('Malformed comment id.', 'id');
  return {
    videoId: parseVideoId(videoId, 'id'),
    commentId: parseNumericId(commentId, 'id', 'comment'),
    parentId: parentId ? parseNumericId(parentId, 'id', 'comment') : null,
  };
}

/** Finds a comment by scanning the first pages of its video's comments (or of its parent's replies). */
async function findComment(id: string, ctx: GraphContext): Promise<CommentSource> {
  const { videoId, commentId, parentId } = parseLocalId(id);
  const video = { videoId };
  const spec = parentId ? repliesOf(video, parentId) : commentsOf(video);
  let cursor: string | null | undefined = FIRST_PAGE;
  for (let scanned = 0; cursor && scanned < ctx.config.storyLookupMaxPages; scanned++) {
    const page: { orderedItems: Comment[]; nextCursor?: string | null } = await ctx.loaders.call(spec.operation, { ...spec.params, cursor });
    const comment = contractValue(page, 'orderedItems').find((item) => commentIdOf(item) === commentId);
    if (comment) return { video, comment, parentId };
    cursor = contractValue(page, 'nextCursor');
  }
  throw new NotFoundError(`Comment ${commentId} is not among the first comments of video ${videoId}.`);
}

declareNodeCost('Comment', (id, c) => {
  const { parentId } = parseLocalId(id);
  return c.ctx.config.storyLookupMaxPages + c.children('loaded', { reply: parentId !== null }, 'Comment');
});

builder.node(CommentRef, {
  description: 'A comment on a video, or a reply to one.',
  extensions: complete,
  id: { resolve: localId },
  loadWithoutCache: (id, ctx) => findComment(id, ctx),
  fields: (t) => ({
    commentId: t.string({
      description: 'TikTok’s id (`entityId`, else the digits after `/comment/` in its permalink).',
      resolve: ({ comment }) => requireId(comment),
    }),
    url: t.field({ type: 'URL', description: 'The comment’s permalink.', resolve: ({ comment }) => comment.url ?? contractValue(comment, 'id') }),
    text: t.string({ description: 'The text.', resolve: ({ comment }) => contractValue(comment, 'content') }),
    language: t.string({ nullable: true, description: 'Language code.', resolve: ({ comment }) => comment.language }),
    publishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was posted, when KonbiniAPI says.',
      resolve: ({ comment }) => comment.published,
    }),
    likeCount: t.field({ type: 'SafeInt', description: 'Likes.', resolve: ({ comment }) => contractValue(comment, 'likeCount') }),
    replyCount: t.field({ type: 'SafeInt', nullable: true, description: 'Replies, when KonbiniAPI says.', resolve: ({ comment }) => comment.replyCount }),
    isPinned: t.boolean({ nullable: true, description: 'Whether it is pinned.', resolve: ({ comment }) => comment.isPinned }),
    isLikedByCreator: t.boolean({ nullable: true, description: 'Whether the video’s author liked it.', resolve: ({ comment }) => comment.isLiked }),
    author: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who wrote it; null when KonbiniAPI leaves it out (its published examples do).',
      resolve: ({ comment }) => (comment.attributedTo ? embeddedUser(comment.attributedTo as Parameters<typeof embeddedUser>[0]) : null),
      extensions: cost((c) => c.children('embedded')),
    }),
    video: t.field({
      type: VideoRef,
      description: 'The video it is on.',
      resolve: ({ video }, _, ctx, info) => loadVideo(video, ctx, info, true),
      // In a video's comments, the list counts the video's detail once.
      extensions: cost((c) => c.children(c.scope.ownerField === 'video' ? 'loaded' : 'embedded')),
    }),
    isReply: t.boolean({ description: 'Whether it is a reply to another comment.', resolve: ({ parentId }) => parentId !== null }),
    replies: t.connection(
      {
        type: CommentRef,
        nullable: true,
        description: 'Replies, in TikTok’s order. Pages of 50; empty without a call for a reply or when `replyCount` is 0.',
        resolve: (source, args, ctx) => {
          const spec = repliesOf(source.video, source.parentId ?? requireId(source.comment));
          if (source.parentId !== null || source.comment.replyCount === 0) return emptyConnection(spec, args, ctx);
          return resolveConnection(spec, args, ctx);
        },
        extensions: cost(
          (c) =>
            c.scope.reply
              ? 0
              : connectionCost(c, { operation: 'tiktokGetCommentReplies', items: { Comment: 'loaded' }, itemScope: { reply: true }, params: null }),
          { independent: true },
        ),
      },
      CommentConnection,
    ),
  }),
});

builder.objectFields(VideoRef, (t) => ({
  comments: t.connection(
    {
      type: CommentRef,
      nullable: true,
      description: 'Top-level comments, in TikTok’s order. Pages of 50.',
      resolve: (video, args, ctx) => resolveConnection(commentsOf(video), args, ctx),
      extensions: cost(
        (c) =>
          connectionCost(c, {
            operation: 'tiktokGetVideoComments',
            items: { Comment: 'loaded' },
            params: c.scope.key ? { videoId: c.scope.key } : null,
            owner: { field: 'video', type: 'Video', origin: c.origin },
          }),
        { independent: true },
      ),
    },
    CommentConnection,
  ),
}));
