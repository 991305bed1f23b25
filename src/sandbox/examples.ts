/**
 * H7: the published example bodies (contract/examples/*.json), replayed verbatim for the request each
 * was published for: the same path (the user `example_replay` standing for `khaby.lame` on user routes,
 * so that khaby.lame keeps its generated lists) and, for searches, the same `query`. Only the first page
 * replays: a later cursor gets an empty last page. Five bodies lack a required `attributedTo`, as published.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { OperationId } from '../upstream/operations.generated.js';
import { memoize } from './random.js';

export const REPLAY_USER = 'example_replay';
const EXAMPLE_USER = 'khaby.lame';
const EXAMPLES_DIR = new URL('../../contract/examples/', import.meta.url);

/** The examples that break their schema as published, each only by a missing required `attributedTo`. */
export const EXAMPLES_LACKING_ATTRIBUTED_TO: readonly OperationId[] = [
  'tiktokGetUserStories',
  'tiktokGetUserLive',
  'tiktokGetUserCollections',
  'tiktokGetVideoComments',
  'tiktokGetCommentReplies',
];

export interface Example {
  operationId: OperationId;
  request: { url: string };
  response: { status: number; body: unknown };
}

const keyOf = (url: URL) => {
  const query = url.searchParams.get('query');
  return `${decodeURIComponent(url.pathname)}${query === null ? '' : `?query=${query}`}`;
};

/** Every published example, by the key of its request. */
export const publishedExamples = memoize(
  () => 'examples',
  (): Map<string, Example> => {
    const examples = new Map<string, Example>();
    for (const file of readdirSync(EXAMPLES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const example = JSON.parse(readFileSync(new URL(file, EXAMPLES_DIR), 'utf8')) as Example;
      examples.set(keyOf(new URL(example.request.url)), example);
    }
    return examples;
  },
);

/** The example published for this request, if any (the replay user read as khaby.lame). */
export function exampleFor(url: URL): Example | undefined {
  const prefix = `/v1/tiktok/users/${REPLAY_USER}`;
  const path = decodeURIComponent(url.pathname);
  const isUserRoute = path === prefix || path.startsWith(`${prefix}/`);
  if (path.startsWith('/v1/tiktok/users/') && !isUserRoute) return undefined;
  const replayed = new URL(url);
  if (isUserRoute) replayed.pathname = `/v1/tiktok/users/${EXAMPLE_USER}${path.slice(prefix.length)}`;
  return publishedExamples().get(keyOf(replayed));
}
