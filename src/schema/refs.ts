/**
 * The object refs of the graph and the shapes behind them, declared apart from their fields so that
 * domain modules can point at each other without import cycles.
 */
import { builder } from '../builder.js';
import type { AudioDetails, EmbeddedAudio, EmbeddedUser, Image, Link, Profile, Story, StoryAttachment } from '../upstream/types.js';

/**
 * A user as far as we know them: the full profile once loaded, or the few fields a story or a track
 * embeds. Fields missing from what we hold are loaded (once per operation) from the profile; that
 * load can fail on its own, which is why every `User` field but `id` and `username` is nullable.
 */
export interface UserSource {
  username: string;
  profile?: Profile;
  embedded?: EmbeddedUser;
}

export interface StorySource {
  /** The owner, whose stories list this story came from. */
  username: string;
  story: Story;
}

/** A track as embedded in a story, or as loaded from the audio endpoint. */
export interface AudioSource {
  audioId: string;
  details?: AudioDetails;
  embedded?: EmbeddedAudio;
}

export interface MediaSource {
  attachment: StoryAttachment;
}

export const UserRef = builder.objectRef<UserSource>('User');
export const StoryRef = builder.objectRef<StorySource>('Story');
export const AudioRef = builder.objectRef<AudioSource>('Audio');
export const MediaRef = builder.objectRef<MediaSource>('Media');
export const ImageRef = builder.objectRef<Image>('Image');
export const LinkRef = builder.objectRef<Link>('Link');
export const HttpHeaderRef = builder.objectRef<{ name: string; value: string }>('HttpHeader');
