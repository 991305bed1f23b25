/**
 * Search: `search` (videos and accounts mixed, as `SearchResult`), `searchVideos` and `searchUsers`.
 * A cursor is bound to its list key, which holds the query, the order and the time window: replayed on
 * another search it is refused before any call (H3).
 */
import { builder } from '../builder.js';
import { type CostInput, cost } from '../cost/declarations.js';
import type { OperationParams } from '../upstream/endpoints.js';
import type { EmbeddedUser, SearchItem, Video } from '../upstream/types.js';
import { type ListSpec, type ListCost, connectionCost, resolveConnection } from './connections.js';
import { usernameOf } from './embedded.js';
import { parseSearchQuery } from './inputs.js';
import { UserConnection, VideoConnection, embeddedUser, userList, videoList, videoSource } from './lists.js';
import { UserRef, type UserSource, VideoRef, type VideoSource } from './refs.js';

export const SearchOrder = builder.enumType('SearchOrder', {
  description: 'How search results are ranked.',
  values: {
    RELEVANCE: { value: 'relevance', description: 'Best match first (TikTok’s ranking).' },
    MOST_LIKED: { value: 'most-liked', description: 'Most liked first.' },
    DATE_POSTED: { value: 'date-posted', description: 'Newest first.' },
  } as const,
});

export const PublishedWithin = builder.enumType('PublishedWithin', {
  description: 'How recent search results must be.',
  values: {
    ALL_TIME: { value: 'all-time', description: 'Any time.' },
    YESTERDAY: { value: 'yesterday', description: 'The last day.' },
    THIS_WEEK: { value: 'this-week', description: 'The last week.' },
    THIS_MONTH: { value: 'this-month', description: 'The last month.' },
    LAST_3_MONTHS: { value: 'last-3-months', description: 'The last three months.' },
    LAST_6_MONTHS: { value: 'last-6-months', description: 'The last six months.' },
  } as const,
});

export const SearchResult = builder.unionType('SearchResult', {
  description: 'A search hit: a video or an account (KonbiniAPI’s `Person` and `Organization` are both `User`).',
  types: [VideoRef, UserRef],
  resolveType: (hit) => ('videoId' in hit ? 'Video' : 'User'),
});

const SearchResultConnection = builder.connectionObject(
  {
    type: SearchResult,
    name: 'SearchResultConnection',
    description: 'A page of search hits.',
    fields: (t) => ({
      totalCount: t.field({
        type: 'SafeInt',
        nullable: true,
        description: 'Hits in all, when KonbiniAPI knows it.',
        resolve: (connection) => connection.totalCount,
      }),
    }),
  },
  { name: 'SearchResultEdge', description: 'A search hit and its cursor.' },
);

type Hit = VideoSource | UserSource;

/** A mixed search: videos, and accounts of either type; an item of any other type is left out (H11). */
const searchContent = (params: OperationParams): ListSpec<'tiktokSearchContent', Hit> => ({
  operation: 'tiktokSearchContent',
  params,
  itemId: (item: SearchItem) => {
    if (item.type === 'Video') return `video:${(item as Video).entityId}`;
    const username = usernameOf(item as EmbeddedUser);
    return username ? `user:${username}` : null;
  },
  node: (item: SearchItem) => {
    if (item.type === 'Video') return videoSource(item as Video);
    if (item.type === 'Person' || item.type === 'Organization') return embeddedUser(item as EmbeddedUser);
    return null;
  },
});

interface SearchArgs {
  query?: unknown;
  order?: unknown;
  publishedWithin?: unknown;
}

/** The list parameters of a search (BAD_USER_INPUT for a blank or overlong query). */
function searchParams(args: SearchArgs, ranked: boolean): OperationParams {
  const query = parseSearchQuery(String(args.query));
  if (!ranked) return { query };
  return { query, order: (args.order as string | null) ?? 'relevance', published: (args.publishedWithin as string | null) ?? 'all-time' };
}

/** A search connection's cost, its arguments checked first (a refused query costs nothing). */
function searchCost(c: CostInput, operation: ListCost['operation'], items: ListCost['items'], ranked: boolean): number {
  const params = c.check(() => searchParams(c.args, ranked), null);
  return params ? connectionCost(c, { operation, items, params }) : 0;
}

const QUERY_DESCRIPTION = 'What to search for (1 to 100 characters; spaces are collapsed).';

builder.queryFields((t) => {
  const rankingArgs = {
    order: t.arg({ type: SearchOrder, defaultValue: 'relevance', description: 'How results are ranked.' }),
    publishedWithin: t.arg({ type: PublishedWithin, defaultValue: 'all-time', description: 'How recent results must be.' }),
  };
  return {
    search: t.connection(
      {
        nullable: true,
        type: SearchResult,
        description: 'Videos and accounts for `query`. Pages of 100; results drift between searches.',
        args: { query: t.arg.string({ required: true, description: QUERY_DESCRIPTION }), ...rankingArgs },
        resolve: (_, args, ctx) => resolveConnection(searchContent(searchParams(args, true)), args, ctx),
        extensions: cost((c) => searchCost(c, 'tiktokSearchContent', { Video: 'loaded', User: 'embedded' }, true)),
      },
      SearchResultConnection,
    ),
    searchVideos: t.connection(
      {
        nullable: true,
        type: VideoRef,
        description: 'Videos for `query`. Pages of 100.',
        args: { query: t.arg.string({ required: true, description: QUERY_DESCRIPTION }), ...rankingArgs },
        resolve: (_, args, ctx) => resolveConnection(videoList('tiktokSearchVideos', searchParams(args, true)), args, ctx),
        extensions: cost((c) => searchCost(c, 'tiktokSearchVideos', { Video: 'loaded' }, true)),
      },
      VideoConnection,
    ),
    searchUsers: t.connection(
      {
        nullable: true,
        type: UserRef,
        description: 'Accounts for `query`. Pages of 10 (TikTok’s fixed size): `first: 100` costs 10 credits.',
        args: { query: t.arg.string({ required: true, description: QUERY_DESCRIPTION }) },
        resolve: (_, args, ctx) => resolveConnection(userList('tiktokSearchUsers', searchParams(args, false)), args, ctx),
        extensions: cost((c) => searchCost(c, 'tiktokSearchUsers', { User: 'embedded' }, false)),
      },
      UserConnection,
    ),
  };
});
