/**
 * Relay connections over KonbiniAPI's forward page cursors, one builder for every list. We always
 * fetch the endpoint's largest page (one credit buys the most items) and slice it: an edge cursor
 * records (list, page cursor, position, item id), so `after` any edge resumes at the very next item,
 * also on lists whose items move between fetches (comments, search): the item is looked for on its
 * page again, and never returned twice. A connection reads at most the pages its estimate counted
 * (`pagesToRead`), even when the upstream returns short or empty pages with a next cursor: it then
 * answers fewer items, with `hasNextPage: true`.
 */
import type { GraphContext } from '../context.js';
import type { CostInput, CostScope, Origin } from '../cost/declarations.js';
import { BadUserInputError } from '../errors.js';
import { FIRST_PAGE, type OperationId, type OperationParams, pageSizeOf, requestPath } from '../upstream/endpoints.js';
import type { OkData } from '../upstream/types.js';
import { contractValue } from './contract-fields.js';
import type { ListCursor } from './cursors.js';

export const DEFAULT_FIRST = 10;
export const MAX_FIRST = 100;

export interface ForwardArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Operations whose answer is a page of items. */
type PageOf<Op extends OperationId> = OkData<Op> extends { orderedItems: (infer I)[] } ? I : never;

/** One list: an upstream operation with fixed parameters, and how its items become nodes. */
export interface ListSpec<Op extends OperationId, Node> {
  operation: Op;
  /** Everything that selects the list (owner, order, query...), without `cursor`. */
  params: OperationParams;
  /** The item's id (to find it again when items move), or null. */
  itemId(item: PageOf<Op>): string | null;
  /** The node of an item, or null to leave it out (an entry naming no one). */
  node(item: PageOf<Op>): Node | null;
}

export interface Edge<Node> {
  readonly cursor: string;
  node: Node;
}

export interface Connection<Node> {
  edges: Edge<Node>[];
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The identity of a list for its cursors: the canonical request without a cursor. */
export const listKey = (operation: OperationId, params: OperationParams) => requestPath(operation, { ...params, cursor: undefined });

/** Upstream pages needed for `first` items after position `offset` of a page, with full pages of `pageSize`. */
export const pagesToRead = (offset: number, first: number, pageSize: number) => Math.ceil((offset + 1 + first) / pageSize);

export interface Window {
  first: number;
  /** Where to start: before the first item, or just after a cursor's item. */
  start: ListCursor;
}

/** Checks `first`, `last` and `before`, without any upstream call. */
export function checkFirst(args: ForwardArgs): number {
  if (args.last != null || args.before != null) {
    throw new BadUserInputError('Lists page forward only: use `first` and `after` (KonbiniAPI has no backward cursor).', args.last != null ? 'last' : 'before');
  }
  const first = args.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw new BadUserInputError(`\`first\` must be between 1 and ${MAX_FIRST} (got ${first}).`, 'first');
  }
  return first;
}

/** Validates connection arguments for the list `list` without any upstream call. */
export function listWindow(list: string, args: ForwardArgs, ctx: GraphContext): Window {
  const first = checkFirst(args);
  const start = args.after != null ? ctx.cursors.decode(args.after, list) : { list, pageCursor: FIRST_PAGE, offset: -1, item: null };
  return { first, start };
}

/** The upstream page a window starts on (to start loading it early). */
export const firstPageParams = (spec: { params: OperationParams }, window: Window): OperationParams => ({ ...spec.params, cursor: window.start.pageCursor });

/**
 * An edge whose cursor is signed only when something reads it (the `cursor` field, `endCursor`): an
 * HMAC per item costs more than the rest of the edge, and most selections (`nodes`) read none.
 */
function lazyEdge<Node>(ctx: GraphContext, position: ListCursor, node: Node): Edge<Node> {
  let cursor: string | undefined;
  return {
    get cursor() {
      return (cursor ??= ctx.cursors.encode(position));
    },
    node,
  };
}

/** Where to go on in the page a window starts on: after its item where it is now, else after its position. */
function resumeAt<Item>(items: readonly Item[], start: ListCursor, itemId: (item: Item) => string | null): number {
  if (start.item === null) return start.offset + 1;
  const found = items.findIndex((item) => itemId(item) === start.item);
  return found >= 0 ? found + 1 : start.offset + 1;
}

/** A connection answered empty without a call (a gate says the list is empty); its arguments are still checked. */
export function emptyConnection(spec: { operation: OperationId; params: OperationParams }, args: ForwardArgs, ctx: GraphContext): Connection<never> {
  listWindow(listKey(spec.operation, spec.params), args, ctx);
  return { edges: [], totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: args.after != null, startCursor: null, endCursor: null } };
}

/** Resolves one connection of `spec` for `args` (see the module comment). */
export async function resolveConnection<Op extends OperationId, Node>(
  spec: ListSpec<Op, Node>,
  args: ForwardArgs,
  ctx: GraphContext,
): Promise<Connection<Node>> {
  const { operation, params } = spec;
  const list = listKey(operation, params);
  const { first, start } = listWindow(list, args, ctx);
  const maxPages = pagesToRead(Math.max(start.offset, -1), first, pageSizeOf(operation)!);
  const edges: Edge<Node>[] = [];
  let pageCursor = start.pageCursor;
  let page = (await ctx.loaders.call(operation, { ...params, cursor: pageCursor })) as {
    orderedItems: PageOf<Op>[];
    totalItems?: number | null;
    nextCursor?: string | null;
  };
  const totalCount = contractValue(page, 'totalItems') ?? null;
  let items = contractValue(page, 'orderedItems');
  let offset = resumeAt(items, start, spec.itemId);
  for (let pages = 1; ; pages++) {
    for (; offset < items.length && edges.length < first; offset++) {
      const item = items[offset]!;
      const id = spec.itemId(item);
      // On a list whose items moved, the cursor's own item may show up again further on: never twice.
      if (id !== null && id === start.item) continue;
      const node = spec.node(item);
      if (node !== null) edges.push(lazyEdge(ctx, { list, pageCursor, offset, item: id }, node));
    }
    const nextCursor = contractValue(page, 'nextCursor');
    if (edges.length === first || !nextCursor || pages >= maxPages) {
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
    page = (await ctx.loaders.call(operation, { ...params, cursor: pageCursor })) as typeof page;
    items = contractValue(page, 'orderedItems');
  }
}

/** What the estimator needs to know of a list to cost a connection over it. */
export interface ListCost {
  operation: OperationId;
  /** The item types and how their objects are obtained (complete list items, or embedded copies). */
  items: Readonly<Record<string, Origin>>;
  /** Scope of the items (replies, say). */
  itemScope?: CostScope;
  /** The list's parameters when the operation names them (to check `after` early), else null. */
  params: OperationParams | null;
  /** A field of every item naming the same owner (a user's stories' author): its full resource is counted once per list. */
  owner?: { field: string; type: string; origin: Origin };
}

/**
 * A connection's cost, as `resolveConnection` spends it: the pages it reads (`pagesToRead`), its
 * owner's resource once, and each item's selections times `first`.
 */
export function connectionCost(c: CostInput, list: ListCost): number {
  const args = c.args as ForwardArgs;
  const first = c.check(() => checkFirst(args), 0);
  if (first === 0) return 0;
  let offset = -1;
  if (args.after != null) {
    const { params } = list;
    if (params) {
      const window = c.check(() => listWindow(listKey(list.operation, params), args, c.ctx), null);
      if (!window) return 0;
      offset = window.start.offset;
    } else {
      offset = c.ctx.cursors.peekOffset(args.after) ?? -1;
    }
  }
  const pages = pagesToRead(offset, first, pageSizeOf(list.operation)!);
  const items = c.connectionItems();
  const { owner } = list;
  const scope = { ...list.itemScope, ...(owner ? { ownerField: owner.field } : {}) };
  const types = Object.entries(list.items);
  const perItem = items.reduce((total, item) => total + Math.max(...types.map(([type, origin]) => c.objectCost(item, type, origin, scope))), 0);
  const ownerLoad =
    owner?.origin === 'embedded' &&
    items.some((item) => types.some(([type]) => c.subfieldsOf(item, type).some((f) => f.name === owner.field && c.needsResource(f, owner.type))))
      ? 1
      : 0;
  return pages + ownerLoad + first * perItem;
}
