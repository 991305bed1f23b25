/** Apollo Federation v2 entities: `User` keyed by `username`, `Audio` keyed by `audioId`. */
import { builder } from '../builder.js';
import { loadAudio } from './audio.js';
import { parseAudioId, parseUsername } from './inputs.js';
import { AudioRef, UserRef } from './refs.js';
import { loadUser } from './user.js';

builder.asEntity(UserRef, {
  key: builder.selection<{ username: string }>('username'),
  resolveReference: ({ username }, ctx, info) => loadUser(parseUsername(username), ctx, info),
});

builder.asEntity(AudioRef, {
  key: builder.selection<{ audioId: string }>('audioId'),
  resolveReference: ({ audioId }, ctx) => loadAudio(parseAudioId(audioId), ctx),
});
