/**
 * Relay connections over KonbiniAPI's forward cursors. We always fetch full upstream pages (35 stories,
 * one credit) and slice them: an edge cursor records (page cursor, position), so `after` any edge
 * resumes at the very next story, and `first` up to 100 spans as many upstream pages as it needs.
 */
import type { GraphContext } from '../context.js';
import { BadUserInputError } from '../errors.js';
import { FIRST_PAGE, STORY_PAGE_SIZE } from '../upstream/types.js';
import type { StoryCursor } from './cursors.js';
import { contractValue } from './contract-fields.js';
import type { StorySource } from './refs.js';

export const DEFAULT_FIRST = 10;
export const MAX_FIRST = 100;
/** Guard against an upstream that keeps returning empty pages with a next cursor. */
export const MAX_PAGES_PER_CONNECTION = Math.ceil(MAX_FIRST / STORY_PAGE_SIZE) + 2;

export interface ForwardArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface StoryWindow {
  first: number;
  /** Where to start: the first page before any story, or just after a cursor's story. */
  start: StoryCursor;
}

/** Validates connection arguments without any upstream call. */
export function storyWindow(username: string, args: ForwardArgs, ctx: GraphContext): StoryWindow {
  if (args.last != null || args.before != null) {
    throw new BadUserInputError('Stories page forward only: use `first` and `after` (KonbiniAPI has no backward cursor).', args.last != null ? 'last' : 'before');
  }
  const first = args.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw new BadUserInputError(`\`first\` must be between 1 and ${MAX_FIRST} (got ${first}).`, 'first');
  }
  const start = args.after != null ? ctx.cursors.decode(args.after, username) : { username, pageCursor: FIRST_PAGE, offset: -1 };
  return { first, start };
}

/**
 * An edge whose cursor is signed only when something reads it (the `cursor` field, `endCursor`): an
 * HMAC per story costs more than the rest of the edge, and most selections (`nodes`) read none.
 */
function lazyEdge(ctx: GraphContext, position: StoryCursor, node: StorySource): { cursor: string; node: StorySource } {
  let cursor: string | undefined;
  return {
    get cursor() {
      return (cursor ??= ctx.cursors.encode(position));
    },
    node,
  };
}

export async function resolveStoryConnection(username: string, args: ForwardArgs, ctx: GraphContext) {
  const { first, start } = storyWindow(username, args, ctx);
  const edges: { cursor: string; node: StorySource }[] = [];
  let pageCursor = start.pageCursor;
  let offset = start.offset + 1;
  let page = await ctx.loaders.storyPage.load({ username, pageCursor });
  const totalCount = contractValue(page, 'totalItems') ?? null;
  for (let pages = 1; ; pages++) {
    const items = contractValue(page, 'orderedItems');
    for (; offset < items.length && edges.length < first; offset++) {
      edges.push(lazyEdge(ctx, { username, pageCursor, offset }, { username, story: items[offset]! }));
    }
    const nextCursor = contractValue(page, 'nextCursor');
    if (edges.length === first || !nextCursor || pages >= MAX_PAGES_PER_CONNECTION) {
      return {
        edges,
        totalCount,
        pageInfo: {
          hasNextPage: offset < items.length || Boolean(nextCursor),
          hasPreviousPage: args.after != null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    }
    pageCursor = nextCursor;
    offset = 0;
    page = await ctx.loaders.storyPage.load({ username, pageCursor });
  }
}
