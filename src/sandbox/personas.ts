/**
 * Usernames with a fixed behaviour, so that tests and demos can show every upstream outcome.
 * Any other valid username gets a deterministic, ordinary profile with several pages of stories, and
 * videos, likes, reposts, collections, followers and following (see README's persona table).
 *
 * Hazards of the full-graph design (§4) each have one: `sparse_pages` (H1: empty and half pages
 * that still carry a cursor), `busy_comments` and the search query `drifting` (H2: lists that shift by 3
 * items between fetches), `live_user` / `private_likes` (H6: billed answers that mean "nothing"),
 * `example_replay` (H7: the published example bodies, verbatim), `viral` (H9: a count over 2^31), and
 * the search query `mixed` (H11: every item type, plus one the contract does not know).
 *
 * Inputs other than usernames with a fixed behaviour (their constants live with their routes):
 * - search query `drifting` (search.ts): /search and /search/videos gain 3 results at the top on every fetch;
 * - search query `mixed` (search.ts): a Video, a Person, an Organization, then an item typed `Photo` that
 *   matches no branch of the contract's `oneOf` (index 3 of the first page: the only violation);
 * - tags named `missing…` (catalog-routes.ts): 404 not_found, billed; a tag no video carries: an empty page;
 * - audio `7100000000000000002` (ids.ts `TWO_ARTIST_TRACK`): a catalogue track by two artists;
 * - the ids and queries of the published examples (examples.ts): video 7611615657754381599 (detail,
 *   comments, replies of comment 7611616052479869736, transcript `en`), audio 6988100049893232686 (and its
 *   videos), tag `learnfromkhaby`, collection 6966746276732559110, searches for `khaby.lame`: verbatim.
 */

/**
 * Bodies that are not the contract: complete but wrong (`truncated-json`, `html`, `contract-breaking`),
 * or sent after a billed 200 and its credit headers and then never finished: the connection resets
 * half-way (`cut-off`), or the rest never comes (`stalled`).
 */
export type BrokenBody = 'truncated-json' | 'html' | 'contract-breaking' | 'cut-off' | 'stalled';

export interface Persona {
  description: string;
  /** Answer every call about this user with this HTTP status and the matching error envelope. */
  status?: 400 | 404 | 500 | 502 | 503 | 504;
  /** Answer 200 with a body that is not the contract. */
  brokenBody?: BrokenBody;
  /** How many stories are active (default: 20 to 100, from the username). */
  storyCount?: number;
  /** Only the fields the OpenAPI file requires: every optional field is absent. */
  minimal?: boolean;
  /** `totalItems: null` on story pages. */
  unknownTotal?: boolean;
  /** Extra latency of every call about this user. */
  latencyMs?: number;
  /** Never answers (until the caller gives up). */
  hangs?: boolean;
  /**
   * A body that breaks the contract in one place: properties of the profile replaced (`undefined`
   * removes one), or story items replaced whole, by index (an object's properties are merged).
   */
  breaksContract?: { profile?: Record<string, unknown>; stories?: Record<number, unknown> };
  /** Profile fields forced to a value (the rest stay generated). */
  profile?: { isLive?: boolean; hasLikes?: boolean; hasPlaylists?: boolean };
  /** How many videos the user has posted (default: 30 to 149, at most the profile's `mediaCount`). */
  videoCount?: number;
  /** How many followers and followings the lists hold (default: from the profile's counts, capped). */
  socialCount?: number;
  /** H1: every list of the user serves an empty page, a half page, an empty one, a half one, then the last. */
  sparsePages?: boolean;
  /** H2: the comments of each of the user's videos gain 3 new ones at the top on every fetch. */
  shiftingComments?: boolean;
  /** H9: the newest video's `viewCount` is 3,000,000,000. */
  viral?: boolean;
  /** H7: every user route answers the published example body of its operation, verbatim. */
  replaysExamples?: boolean;
}

export const PERSONAS: Readonly<Record<string, Persona>> = {
  'khaby.lame': { description: 'The sample profile of the OpenAPI file: 160.3M followers, 2.6 billion likes.' },
  nobody: { description: 'Does not exist: 404 not_found (billed, like the real API).', status: 404 },
  no_stories: { description: 'A profile with no active story.', storyCount: 0 },
  few_stories: { description: 'Three stories: a single short page.', storyCount: 3 },
  one_page: { description: 'Exactly 35 stories: one full upstream page.', storyCount: 35 },
  minimal_user: { description: 'Only required fields, on the profile and its stories.', minimal: true, storyCount: 4 },
  unknown_total: { description: 'Story pages with `totalItems: null`.', unknownTotal: true },
  status_400: { description: '400 validation_error (refunded).', status: 400 },
  status_500: { description: '500 internal_error (refunded).', status: 500 },
  status_502: { description: '502 platform_error (refunded).', status: 502 },
  status_503: { description: '503 service_unavailable (refunded).', status: 503 },
  status_504: { description: '504 platform_error: TikTok timed out (refunded).', status: 504 },
  bad_json: { description: '200 with truncated JSON.', brokenBody: 'truncated-json' },
  bad_html: { description: '200 with an HTML error page.', brokenBody: 'html' },
  bad_contract: { description: '200 with JSON that breaks the OpenAPI contract.', brokenBody: 'contract-breaking' },
  cut_off_body: { description: '200 and its credit headers (billed), then the connection resets half-way through the body.', brokenBody: 'cut-off' },
  stalled_body: { description: '200 and its credit headers (billed), then half the body, and the rest never comes.', brokenBody: 'stalled' },
  nameless: { description: 'A profile without `name`, which the contract requires.', breaksContract: { profile: { name: undefined } } },
  garbled_counts: { description: 'A profile whose `followerCount` is a string.', breaksContract: { profile: { followerCount: 'many' } } },
  odd_stories: {
    description: 'A first stories page whose second story lacks `published` and whose third is not an object.',
    storyCount: 5,
    breaksContract: { stories: { 1: { published: undefined }, 2: 'not a story' } },
  },
  sparse_pages: {
    description:
      'H1: videos, likes, reposts, collections, followers and following come as an empty page, a half page, an empty one, a half one, then a last page: every one but the last with a nextCursor; totalItems null.',
    sparsePages: true,
    videoCount: 40,
    socialCount: 40,
    profile: { hasLikes: true, hasPlaylists: true },
  },
  busy_comments: {
    description: 'H2: each of its videos gains 3 new comments at the top on every fetch of its comments (per sandbox), so an offset cursor sees 3 items again.',
    shiftingComments: true,
    videoCount: 5,
  },
  live_user: {
    description: 'H6: on air (`isLive: true`): /live answers the stream; every other user not live answers 404 not_found, billed.',
    profile: { isLive: true },
  },
  private_likes: { description: 'H6: `hasLikes: false`: /likes answers an empty page (200, billed).', profile: { hasLikes: false } },
  viral: { description: 'H9: its newest video (also first by popularity) has `viewCount` 3,000,000,000.', viral: true, videoCount: 12 },
  example_replay: {
    description:
      'H7: each user route answers the published example body of its operation verbatim (first page; a later cursor gets an empty last page). Stories, live and collections lack the required `attributedTo`, as published.',
    replaysExamples: true,
  },
  slow_user: { description: 'Every call takes 1.5 s longer.', latencyMs: 1500 },
  hanging_user: { description: 'Never answers.', hangs: true },
};

/** Prefix of usernames that do not exist (so tests can ask for many distinct missing users). */
export const MISSING_PREFIX = 'missing_';

/** API keys with a fixed account-level behaviour (any other `knbn_` key is valid). */
export const KEY_PERSONAS: Readonly<Record<string, { status: 402 | 403; code: string; message: string }>> = {
  knbn_disabled: { status: 403, code: 'api_key_disabled', message: 'API key is disabled' },
  knbn_expired: { status: 403, code: 'api_key_expired', message: 'API key has expired' },
  knbn_no_credits: { status: 402, code: 'credits_exhausted', message: 'Credits exhausted. Upgrade your plan at konbiniapi.com' },
};

export function personaFor(username: string): Persona | undefined {
  if (username.startsWith(MISSING_PREFIX)) return PERSONAS.nobody;
  return PERSONAS[username];
}
