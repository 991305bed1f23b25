/** Identities of the copies KonbiniAPI embeds (an author, an artist, a track): what their keys are. */
import type { EmbeddedAudio, EmbeddedUser } from '../upstream/types.js';

/** The username of an embedded user: `preferredUsername`, else the handle in its profile URL. */
export function usernameOf(user: EmbeddedUser): string | undefined {
  return (user.preferredUsername ?? /\/@([^/?#]+)/.exec(user.url ?? user.id)?.[1])?.toLowerCase();
}

/** The audio id: `entityId`, or the digits that end the permalink when KonbiniAPI leaves it out. */
export function audioIdOf(audio: EmbeddedAudio): string | undefined {
  return audio.entityId ?? (audio.id ? /(\d+)\/?$/.exec(audio.id)?.[1] : undefined);
}
