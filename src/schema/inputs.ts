/** Validation of arguments, done before any upstream call so that bad input never costs a credit. */
import { BadUserInputError } from '../errors.js';
import { normalizeUsername } from '../upstream/client.js';

/** TikTok usernames: letters, digits, `_` and `.`, at most 24 characters; `@` and case are ignored. */
const USERNAME = /^[a-z0-9._]{1,24}$/;
const AUDIO_ID = /^\d{1,32}$/;

export function parseUsername(raw: string, argument = 'username'): string {
  const username = normalizeUsername(raw);
  if (!USERNAME.test(username)) {
    throw new BadUserInputError(
      `"${raw.slice(0, 64)}" is not a TikTok username (1 to 24 letters, digits, "_" or ".", optionally after "@").`,
      argument,
    );
  }
  return username;
}

export function parseAudioId(raw: string, argument = 'audioId'): string {
  if (!AUDIO_ID.test(raw)) throw new BadUserInputError(`"${raw.slice(0, 64)}" is not a TikTok audio id (digits only).`, argument);
  return raw;
}

export function checkListLength(length: number, max: number, argument: string): void {
  if (length > max) throw new BadUserInputError(`\`${argument}\` may hold at most ${max} entries (got ${length}).`, argument);
}
