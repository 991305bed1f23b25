/**
 * Structural checks of the upstream bodies we rely on: the required fields of the OpenAPI schemas.
 * Anything else may be missing or extra; a body failing these becomes UPSTREAM_BAD_RESPONSE.
 */
import type { AudioDetails, Profile, StoryPage } from './types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasTypes = (o: Json, fields: Record<string, 'string' | 'number' | 'boolean'>) =>
  Object.entries(fields).every(([name, type]) => typeof o[name] === type);

export function isProfile(data: unknown): data is Profile {
  return (
    isObject(data) &&
    hasTypes(data, {
      id: 'string',
      preferredUsername: 'string',
      entityId: 'string',
      isPrivate: 'boolean',
      isVerified: 'boolean',
      followerCount: 'number',
      followingCount: 'number',
      likeCount: 'number',
      mediaCount: 'number',
    })
  );
}

export function isStoryPage(data: unknown): data is StoryPage {
  if (!isObject(data) || !Array.isArray(data.orderedItems)) return false;
  const cursorOk = data.nextCursor === null || data.nextCursor === undefined || typeof data.nextCursor === 'string';
  return (
    cursorOk &&
    data.orderedItems.every(
      (item) => isObject(item) && hasTypes(item, { id: 'string', entityId: 'string', published: 'string' }),
    )
  );
}

export function isAudioDetails(data: unknown): data is AudioDetails {
  return isObject(data) && hasTypes(data, { name: 'string', duration: 'number' });
}
