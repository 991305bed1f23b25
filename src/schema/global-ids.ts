/** Relay global ids: base64url of `Type:localId`; anything else is refused as BAD_USER_INPUT. */
import { BadUserInputError } from '../errors.js';

const NODE_TYPES = new Set(['User', 'Story', 'Audio', 'Video', 'Comment', 'Collection', 'Hashtag']);

export function encodeGlobalID(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`).toString('base64url');
}

export function decodeGlobalID(globalID: string): { typename: string; id: string } {
  const decoded = /^[A-Za-z0-9_-]+$/.test(globalID) ? Buffer.from(globalID, 'base64url').toString() : '';
  const separator = decoded.indexOf(':');
  const typename = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  if (separator < 1 || !NODE_TYPES.has(typename) || id === '') {
    throw new BadUserInputError(`"${globalID.slice(0, 64)}" is not an id this server issued.`, 'id');
  }
  return { typename, id };
}

/** A story's local id: its owner and its TikTok id (stories can only be found through their owner). */
export const storyLocalId = (username: string, storyId: string) => `${username}:${storyId}`;

export function parseStoryLocalId(localId: string): { username: string; storyId: string } {
  const [username, storyId, ...rest] = localId.split(':');
  if (!username || !storyId || rest.length > 0) throw new BadUserInputError('Malformed story id.', 'id');
  return { username, storyId };
}
