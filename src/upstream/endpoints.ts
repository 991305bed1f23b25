/**
 * The hand-written part of each upstream operation: its short name (metrics label, circuit, cache
 * accounting), how long its answers live, and whether a stale copy may cover for a failure. Paths,
 * parameters and page sizes come from the generated descriptors; `requestPath` builds every request
 * from them, always asking a list's largest page (one credit buys the most items, and a fixed size
 * keeps a page cursor meaning the same page).
 */
import type { CacheConfig } from '../config.js';
import { OPERATIONS, type OperationId } from './operations.generated.js';

export { OPERATIONS, type OperationId } from './operations.generated.js';

const MINUTE = 60_000;

interface Policy {
  /** Short name: the `endpoint` label of metrics, one circuit each, cache accounting. */
  endpoint: string;
  /** How long an answer is fresh. */
  ttlMs: (cache: CacheConfig) => number;
  /** How long a billed 404 is remembered, when it differs from CACHE_NOT_FOUND_TTL_MS. */
  notFoundTtlMs?: number;
  /** False where a stale copy would mislead (a download URL that expires, whether a user is live). */
  staleIfError: boolean;
  /** The JSON body a 200 of another media type the contract allows stands for (a transcript as bare WebVTT). */
  textBody?: { mediaType: string; toJson: (text: string, path: string) => unknown };
}

/** A transcript sent as bare WebVTT, as the JSON document the contract describes. */
function transcriptDocument(text: string, path: string) {
  const language = decodeURIComponent(/\/transcripts\/([^/?]+)/.exec(path)?.[1] ?? '');
  const url = `https://api.konbiniapi.com${path}`;
  const context = ['https://www.w3.org/ns/activitystreams#', 'https://konbiniapi.com/ns/social#'];
  return { data: { '@context': context, type: 'Document', id: url, url, mediaType: 'text/vtt', language, content: text, size: Buffer.byteLength(text) } };
}

const fixed = (ms: number) => () => ms;

export const POLICIES = {
  tiktokGetUser: { endpoint: 'user', ttlMs: (c) => c.profileTtlMs, staleIfError: true },
  tiktokGetUserVideos: { endpoint: 'user_videos', ttlMs: fixed(5 * MINUTE), staleIfError: true },
  tiktokGetUserLikes: { endpoint: 'user_likes', ttlMs: fixed(5 * MINUTE), staleIfError: true },
  tiktokGetUserReposts: { endpoint: 'user_reposts', ttlMs: fixed(5 * MINUTE), staleIfError: true },
  tiktokGetUserCollections: { endpoint: 'user_collections', ttlMs: fixed(30 * MINUTE), staleIfError: true },
  tiktokGetUserStories: { endpoint: 'stories', ttlMs: (c) => c.storyPageTtlMs, staleIfError: true },
  tiktokGetUserFollowing: { endpoint: 'user_following', ttlMs: fixed(10 * MINUTE), staleIfError: true },
  tiktokGetUserFollowers: { endpoint: 'user_followers', ttlMs: fixed(10 * MINUTE), staleIfError: true },
  tiktokGetUserLive: { endpoint: 'live', ttlMs: fixed(30_000), notFoundTtlMs: 30_000, staleIfError: false },
  tiktokGetVideo: { endpoint: 'video', ttlMs: fixed(5 * MINUTE), notFoundTtlMs: 10 * MINUTE, staleIfError: true },
  tiktokGetVideoDownloadUrl: { endpoint: 'video_download', ttlMs: fixed(30 * MINUTE), staleIfError: false },
  tiktokGetVideoComments: { endpoint: 'comments', ttlMs: fixed(2 * MINUTE), staleIfError: true },
  tiktokGetCommentReplies: { endpoint: 'replies', ttlMs: fixed(5 * MINUTE), staleIfError: true },
  tiktokGetVideoTranscript: {
    endpoint: 'transcript',
    ttlMs: fixed(24 * 60 * MINUTE),
    notFoundTtlMs: 10 * MINUTE,
    staleIfError: true,
    textBody: { mediaType: 'text/vtt', toJson: transcriptDocument },
  },
  tiktokGetTagVideos: { endpoint: 'tag_videos', ttlMs: fixed(10 * MINUTE), staleIfError: true },
  tiktokGetCollectionVideos: { endpoint: 'collection_videos', ttlMs: fixed(15 * MINUTE), staleIfError: true },
  tiktokGetAudio: { endpoint: 'audio', ttlMs: (c) => c.audioTtlMs, staleIfError: true },
  tiktokGetAudioVideos: { endpoint: 'audio_videos', ttlMs: fixed(10 * MINUTE), staleIfError: true },
  tiktokSearchContent: { endpoint: 'search', ttlMs: fixed(10 * MINUTE), staleIfError: true },
  tiktokSearchUsers: { endpoint: 'search_users', ttlMs: fixed(10 * MINUTE), staleIfError: true },
  tiktokSearchVideos: { endpoint: 'search_videos', ttlMs: fixed(10 * MINUTE), staleIfError: true },
} as const satisfies Record<OperationId, Policy>;

export type Endpoint = (typeof POLICIES)[OperationId]['endpoint'];
export const ENDPOINTS = Object.values(POLICIES).map((p) => p.endpoint) as readonly Endpoint[];
export const endpointOf = (operation: OperationId): Endpoint => POLICIES[operation].endpoint;
export const policyOf = (operation: OperationId): Policy => POLICIES[operation];

/** How errors name what a request was about, e.g. `User "khaby.lame"` (NOT_FOUND and the like). */
const SUBJECTS: Partial<Record<OperationId, (p: OperationParams) => string>> = {
  tiktokGetUser: (p) => `User "${p.username}"`,
  tiktokGetUserStories: (p) => `The stories of "${p.username}"`,
  tiktokGetAudio: (p) => `Audio "${p.audioId}"`,
  tiktokGetVideo: (p) => `Video "${p.videoId}"`,
  tiktokGetVideoComments: (p) => `The comments of video "${p.videoId}"`,
  tiktokGetCommentReplies: (p) => `The replies to comment "${p.commentId}"`,
  tiktokGetUserVideos: (p) => `The videos of "${p.username}"`,
  tiktokGetUserLikes: (p) => `The liked videos of "${p.username}"`,
  tiktokGetUserReposts: (p) => `The reposts of "${p.username}"`,
  tiktokGetUserFollowers: (p) => `The followers of "${p.username}"`,
  tiktokGetUserFollowing: (p) => `The accounts "${p.username}" follows`,
  tiktokGetAudioVideos: (p) => `The videos of audio "${p.audioId}"`,
  tiktokGetTagVideos: (p) => `Hashtag "${p.tagName}"`,
  tiktokGetUserCollections: (p) => `The collections of "${p.username}"`,
  tiktokGetCollectionVideos: (p) => `Collection "${p.collectionId}"`,
  tiktokGetUserLive: (p) => `The live stream of "${p.username}"`,
  tiktokGetVideoTranscript: (p) => `The ${p.language} transcript of video "${p.videoId}"`,
  tiktokGetVideoDownloadUrl: (p) => `The download URL of video "${p.videoId}"`,
  tiktokSearchContent: (p) => `The search for "${p.query}"`,
  tiktokSearchVideos: (p) => `The video search for "${p.query}"`,
  tiktokSearchUsers: (p) => `The account search for "${p.query}"`,
};

/** The subject of an error about a request: a named resource, or the operation and its main parameter. */
export function subjectOf(operation: OperationId, params: OperationParams): string {
  const named = SUBJECTS[operation];
  if (named) return named(params);
  const main = OPERATIONS[operation].pathParams.map((name) => `${name} "${params[name]}"`).join(', ');
  return `${operation.replace(/^tiktok/, '')}${main ? ` for ${main}` : ` for "${params.query}"`}`;
}

/** The page cursor of a list's first page (the upstream's default). */
export const FIRST_PAGE = '0';

/** A request to one operation: its path parameters, its query parameters, and `cursor` for a list. */
export type OperationParams = Record<string, string | undefined>;

/** Canonical form of a username: no `@`, lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().replace(/^@/, '').toLowerCase();
}

const NORMALISE: Record<string, (value: string) => string> = { username: normalizeUsername };

/** The largest page an operation serves (null for a single resource). */
export const pageSizeOf = (operation: OperationId): number | null => OPERATIONS[operation].page?.max ?? null;

/**
 * The path and query of a request, in one canonical form (parameters in the contract's order,
 * defaults written out): two requests for the same answer share one cache entry and one call.
 * Throws on parameters the contract does not allow: callers validate user input before this.
 */
export function requestPath(operation: OperationId, params: OperationParams): string {
  const descriptor = OPERATIONS[operation];
  const enums: Record<string, readonly string[]> = descriptor.pathEnums;
  let path: string = descriptor.path;
  for (const name of descriptor.pathParams) {
    const raw = params[name];
    if (raw === undefined || raw === '') throw new Error(`${operation} needs ${name}`);
    const value = NORMALISE[name]?.(raw) ?? raw;
    if (enums[name] && !enums[name].includes(value)) throw new Error(`${operation}: ${name} ${value} is not in the contract`);
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  }
  const query = new URLSearchParams();
  for (const [name, spec] of Object.entries(descriptor.query) as [string, { required: boolean; enum?: readonly string[]; default?: string }][]) {
    const value = params[name] ?? spec.default;
    if (value === undefined) {
      if (spec.required) throw new Error(`${operation} needs ${name}`);
      continue;
    }
    if (spec.enum && !spec.enum.includes(value)) throw new Error(`${operation}: ${name} ${value} is not in the contract`);
    query.set(name, value);
  }
  if (descriptor.page) {
    query.set('count', String(descriptor.page.max));
    const cursor = params.cursor;
    if (cursor !== undefined && cursor !== FIRST_PAGE) query.set('cursor', cursor);
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}
