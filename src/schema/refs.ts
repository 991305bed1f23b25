/**
 * The object refs of the graph and the shapes behind them, declared apart from their fields so that
 * domain modules can point at each other without import cycles.
 */
import { builder } from '../builder.js';
import type {
  AudioDetails,
  Collection,
  Comment,
  EmbeddedAudio,
  EmbeddedUser,
  Image,
  Link,
  LiveAttachment,
  LiveStream,
  Profile,
  Story,
  StoryAttachment,
  Transcript,
  Video,
  VideoAttachment,
} from '../upstream/types.js';

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
  attachment: StoryAttachment | VideoAttachment | LiveAttachment;
}

/**
 * A video: its id, and its body once we hold it (a list item is the whole `TikTokVideo`, the same as
 * the detail endpoint's); a video known only by id loads its detail when a field needs it.
 */
export interface VideoSource {
  videoId: string;
  video?: Video;
}

/** A comment or a reply, with the video it is on (the same source its list came from). */
export interface CommentSource {
  video: VideoSource;
  comment: Comment;
  /** The id of the comment it replies to; null for a top-level comment. */
  parentId: string | null;
}

/** A collection on its owner's profile: its owner, its id, and its entry of the owner's list once read. */
export interface CollectionSource {
  owner: UserSource;
  collectionId: string;
  collection?: Collection;
}

export interface HashtagSource {
  name: string;
}

export interface LiveStreamSource {
  host: UserSource;
  live: LiveStream;
}

export type TranscriptSource = Transcript;

/** Where a video was made (the video's `location`). */
export interface PlaceSource {
  name: string;
  id?: string;
  url?: string;
  latitude?: number;
  longitude?: number;
}

export const UserRef = builder.objectRef<UserSource>('User');
export const StoryRef = builder.objectRef<StorySource>('Story');
export const AudioRef = builder.objectRef<AudioSource>('Audio');
export const MediaRef = builder.objectRef<MediaSource>('Media');
export const ImageRef = builder.objectRef<Image>('Image');
export const LinkRef = builder.objectRef<Link>('Link');
export const HttpHeaderRef = builder.objectRef<{ name: string; value: string }>('HttpHeader');
export const VideoRef = builder.objectRef<VideoSource>('Video');
export const CommentRef = builder.objectRef<CommentSource>('Comment');
export const CollectionRef = builder.objectRef<CollectionSource>('Collection');
export const HashtagRef = builder.objectRef<HashtagSource>('Hashtag');
export const LiveStreamRef = builder.objectRef<LiveStreamSource>('LiveStream');
export const TranscriptRef = builder.objectRef<TranscriptSource>('Transcript');
export const PlaceRef = builder.objectRef<PlaceSource>('Place');
