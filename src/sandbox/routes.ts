/**
 * Dispatch of the 21 GET routes of KonbiniAPI's TikTok API (paths of contract/tiktok-openapi.yml), after
 * the published examples (H7: a request an example was published for answers that body verbatim).
 */
import { OPERATIONS } from '../upstream/operations.generated.js';
import { type Answer, invalid, json, type RouteContext, routeNotFound } from './answers.js';
import { audioRoute, collectionRoute, searchRoute, tagRoute } from './catalog-routes.js';
import { exampleFor } from './examples.js';
import { isAnswer, pageAnswer, readList } from './pages.js';
import { userRoute } from './users.js';
import { videoRoute } from './video-routes.js';

const PREFIX = ['', 'v1', 'tiktok'];

/** The answer to `GET url` (any other method: route_not_found). */
export function route(url: URL, method: string, context: RouteContext): Answer {
  let parts: string[];
  try {
    parts = url.pathname.split('/').map(decodeURIComponent);
  } catch {
    return invalid('Malformed path');
  }
  if (method !== 'GET' || PREFIX.some((p, i) => parts[i] !== p) || parts.length < 4) return routeNotFound();
  const [resource, ...rest] = parts.slice(3) as [string, ...string[]];
  const [first, second] = rest;
  if (resource === 'users' && first !== undefined && rest.length <= 2) return userRoute(first, second, url, context.nowMs);
  if (resource === 'search' && rest.length <= 1) return replayed(url) ?? searchRoute(first, url, context);
  if (first === undefined || first === '') return routeNotFound();
  const example = replayed(url);
  if (example) return example;
  if (resource === 'videos' && rest.length <= 4) return videoRoute(rest, url, context);
  if (resource === 'tags' && rest.length === 1) return tagRoute(first, url);
  if (resource === 'collections' && rest.length === 1) return collectionRoute(first, url);
  if (resource === 'audios' && rest.length <= 2) return audioRoute(first, second, url);
  return routeNotFound();
}

/** The published example for this request, or for a later page of it an empty last page. */
function replayed(url: URL): Answer | undefined {
  const example = exampleFor(url);
  if (!example) return undefined;
  if (OPERATIONS[example.operationId].page) {
    const query = readList(url, example.operationId);
    if (isAnswer(query)) return query;
  }
  const cursor = url.searchParams.get('cursor');
  if (cursor && cursor !== '0')
    return pageAnswer({ url, count: Number(url.searchParams.get('count') ?? 30), cursor, params: {} }, { items: [], nextCursor: null }, null);
  return json(example.response.status, example.response.body);
}
