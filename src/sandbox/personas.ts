/**
 * Usernames with a fixed behaviour, so that tests and demos can show every upstream outcome.
 * Any other valid username gets a deterministic, ordinary profile with several pages of stories.
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
