/** Validation of arguments, done before any upstream call so that bad input never costs a credit. */
import { BadUserInputError } from '../errors.js';
import { normalizeUsername } from '../upstream/client.js';

/**
 * TikTok usernames: 1 to 24 letters, digits, `_` and `.`, not ending with `.` (TikTok's own rule), so
 * never only dots: `.` and `..` would also walk up the upstream URL's path. `@` and case are ignored.
 */
const USERNAME = /^[a-z0-9._]{0,23}[a-z0-9_]$/;
const AUDIO_ID = /^\d{1,32}$/;

/** A username as the upstream knows it (lower case, no `@`), or BAD_USER_INPUT. */
export function parseUsername(raw: string, argument = 'username'): string {
  const username = normalizeUsername(raw);
  if (!USERNAME.test(username)) {
    throw new BadUserInputError(
      `"${raw.slice(0, 64)}" is not a TikTok username (1 to 24 letters, digits, "_" or ".", not ending with ".", optionally after "@").`,
      argument,
    );
  }
  return username;
}

/** An audio id (digits), or BAD_USER_INPUT. */
export function parseAudioId(raw: string, argument = 'audioId'): string {
  if (!AUDIO_ID.test(raw)) throw new BadUserInputError(`"${raw.slice(0, 64)}" is not a TikTok audio id (digits only).`, argument);
  return raw;
}

/** BAD_USER_INPUT when a list argument is over the limit. */
export function checkListLength(length: number, max: number, argument: string): void {
  if (length > max) throw new BadUserInputError(`\`${argument}\` may hold at most ${max} entries (got ${length}).`, argument);
}

/**
 * Deepest nesting of lists and objects accepted in a value, literal or variable. Our arguments need 2
 * (a list of representations); far deeper JSON only serves to exhaust the stack of whatever walks it.
 */
export const MAX_VALUE_DEPTH = 32;

/** Whether `value` nests lists and objects deeper than `max` (a scalar is 0, `[1]` is 1). Never recurses. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

const NUMERIC_ID = /^\d{1,32}$/;

/** A TikTok id of digits (video, comment, collection), kept as a string: they exceed 2^53. */
export function parseNumericId(raw: string, argument: string, what: string): string {
  if (!NUMERIC_ID.test(raw)) throw new BadUserInputError(`"${raw.slice(0, 64)}" is not a TikTok ${what} id (1 to 32 digits).`, argument);
  return raw;
}

export const parseVideoId = (raw: string, argument = 'videoId') => parseNumericId(raw, argument, 'video');

/** A hashtag name: without `#`, NFC, lower case, 1 to 100 characters, no spaces nor `/?#`. */
export function parseHashtagName(raw: string, argument = 'name'): string {
  const name = raw.trim().replace(/^#/, '').normalize('NFC').toLowerCase();
  if (name.length < 1 || name.length > 100 || /[\s/?#%\\]/.test(name)) {
    throw new BadUserInputError(
      `"${raw.slice(0, 64)}" is not a hashtag (1 to 100 characters after an optional "#", without spaces, "/", "?", "#" or "%").`,
      argument,
    );
  }
  return name;
}

/** A search query: trimmed, whitespace collapsed, 1 to 100 characters. */
export function parseSearchQuery(raw: string, argument = 'query'): string {
  const query = raw.trim().replace(/\s+/g, ' ');
  if (query.length < 1 || query.length > 100) throw new BadUserInputError(`A search query has 1 to 100 characters (got ${query.length}).`, argument);
  return query;
}
