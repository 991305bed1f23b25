/** `Hashtag`: a tag named by itself (no call until its videos are read), its videos, and the root `hashtag`. */
import { builder } from '../builder.js';
import { type CostInput, complete, cost, declareNodeCost } from '../cost/declarations.js';
import { connectionCost, resolveConnection } from './connections.js';
import { parseHashtagName } from './inputs.js';
import { VideoConnection, videoList } from './lists.js';
import { HashtagRef, VideoRef } from './refs.js';

/** The hashtag's page on tiktok.com. */
export const hashtagUrl = (name: string) => `https://www.tiktok.com/tag/${encodeURIComponent(name)}`;

/** What a hashtag named `name` costs: nothing of its own, then its selections (its videos' pages). */
export const hashtagLookupCost = (c: CostInput, name: string) => c.children('loaded', { key: name }, 'Hashtag');

declareNodeCost('Hashtag', (id, c) => hashtagLookupCost(c, parseHashtagName(id, 'id')));

builder.node(HashtagRef, {
  description: 'A hashtag or challenge. It is known by its name alone: only `videos` calls KonbiniAPI.',
  // Every field comes from the name; `videos` declares its own cost.
  extensions: complete,
  id: { resolve: (tag) => tag.name },
  loadWithoutCache: (id) => ({ name: parseHashtagName(id, 'id') }),
  fields: (t) => ({
    name: t.string({ description: 'The name, without `#`, in lower case.', resolve: (tag) => tag.name }),
    url: t.field({ type: 'URL', description: 'The hashtag’s page on tiktok.com.', resolve: (tag) => hashtagUrl(tag.name) }),
    videos: t.connection(
      {
        nullable: true,
        type: VideoRef,
        description: 'Videos with this hashtag; NOT_FOUND here when TikTok has no such tag. Pages of 30.',
        resolve: (tag, args, ctx) => resolveConnection(videoList('tiktokGetTagVideos', { tagName: tag.name }), args, ctx),
        extensions: cost(
          (c) => connectionCost(c, { operation: 'tiktokGetTagVideos', items: { Video: 'loaded' }, params: c.scope.key ? { tagName: c.scope.key } : null }),
          { independent: true },
        ),
      },
      VideoConnection,
    ),
  }),
});

builder.queryFields((t) => ({
  hashtag: t.field({
    type: HashtagRef,
    description: 'A hashtag by name (`#` optional). Costs nothing until its `videos` are read.',
    args: { name: t.arg.string({ required: true, description: 'The hashtag, with or without `#`, any case.' }) },
    resolve: (_, { name }) => ({ name: parseHashtagName(name) }),
    extensions: cost((c) => c.check(() => hashtagLookupCost(c, parseHashtagName(String(c.args.name))), 0)),
  }),
}));
