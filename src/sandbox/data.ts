/**
 * The sandbox's TikTok, by what it holds: profiles.ts (users), stories.ts (stories in time), audios.ts
 * (tracks), videos.ts (videos and users' video lists), pool.ts (likes, reposts, tags, audio lists),
 * comments.ts, social.ts (followers, following, collections, live), search.ts and transcripts.ts.
 * This module re-exports the generators tests use.
 */
export { isSandboxAudioId, sandboxAudio } from './audios.js';
export { sandboxProfile } from './profiles.js';
export { sandboxStories } from './stories.js';
export { sandboxVideo } from './videos.js';
