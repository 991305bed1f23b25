/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  /** The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `"4"`) or integer (such as `4`) input value will be accepted as an ID. */
  ID: { input: string; output: string; }
  /** The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text. */
  String: { input: string; output: string; }
  /** The `Boolean` scalar type represents `true` or `false`. */
  Boolean: { input: boolean; output: boolean; }
  /** The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1. */
  Int: { input: number; output: number; }
  /** The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point). */
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `SafeInt` scalar type represents non-fractional signed whole numeric values that are considered safe as defined by the ECMAScript specification. */
  SafeInt: { input: number; output: number; }
  /** A field whose value conforms to the standard URL format as specified in RFC3986: https://www.ietf.org/rfc/rfc3986.txt. */
  URL: { input: string; output: string; }
};

/** A sound or music track used in stories. `id` and `audioId` are always there; a story embeds a copy of the track that may lack any other field, which then loads the track on its own, so every other field is null, with an error at its path, when that load fails. */
export type Audio = Node & {
  __typename?: 'Audio';
  /** Album name, for licensed tracks. */
  album?: Maybe<Scalars['String']['output']>;
  /** TikTok’s id of the track. */
  audioId: Scalars['String']['output'];
  /** The creator or artists: one or several users. */
  authors?: Maybe<Array<User>>;
  /** The cover thumbnail. */
  cover?: Maybe<Image>;
  /** The cover in every size TikTok offers. */
  covers?: Maybe<Array<Image>>;
  /** Length in seconds. */
  duration?: Maybe<Scalars['Float']['output']>;
  /** Opaque global id (Relay); `node(id:)` refetches the object. */
  id: Scalars['ID']['output'];
  /** Whether the track has copyright restrictions. */
  isCopyrighted?: Maybe<Scalars['Boolean']['output']>;
  /** Whether a user made this sound (rather than a licensed track). */
  isOriginal?: Maybe<Scalars['Boolean']['output']>;
  /** MIME type, such as `audio/mpeg`. */
  mediaType?: Maybe<Scalars['String']['output']>;
  /** The track’s page on tiktok.com. */
  permalink?: Maybe<Scalars['URL']['output']>;
  /** Track name, such as `original sound`. */
  title?: Maybe<Scalars['String']['output']>;
  /** Playback URL of the audio file. */
  url?: Maybe<Scalars['URL']['output']>;
  /** Videos using this track. */
  videoCount?: Maybe<Scalars['SafeInt']['output']>;
  /** Videos using this sound. Pages of 30. */
  videos?: Maybe<VideoConnection>;
};


/** A sound or music track used in stories. `id` and `audioId` are always there; a story embeds a copy of the track that may lack any other field, which then loads the track on its own, so every other field is null, with an error at its path, when that load fails. */
export type AudioVideosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A playlist or mix on a profile. Its name, size and covers come from its owner’s list of collections: a collection named by id looks itself up there (a few pages at most) only when one of them is read. */
export type Collection = Node & {
  __typename?: 'Collection';
  /** TikTok’s id of the collection. */
  collectionId: Scalars['String']['output'];
  /** The cover (first image). */
  cover?: Maybe<Image>;
  /** Every cover image. */
  covers: Array<Image>;
  /** Opaque global id (Relay); `node(id:)` refetches the object. */
  id: Scalars['ID']['output'];
  /** Its name. */
  name: Scalars['String']['output'];
  /** Whose profile it is on. */
  owner: User;
  /** Its page on tiktok.com. */
  url: Scalars['URL']['output'];
  /** Videos in it, when TikTok says. */
  videoCount?: Maybe<Scalars['SafeInt']['output']>;
  /** Its videos; NOT_FOUND here when TikTok has no such collection. Pages of 35. */
  videos?: Maybe<VideoConnection>;
};


/** A playlist or mix on a profile. Its name, size and covers come from its owner’s list of collections: a collection named by id looks itself up there (a few pages at most) only when one of them is read. */
export type CollectionVideosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of collections. */
export type CollectionConnection = {
  __typename?: 'CollectionConnection';
  /** The items of this page with their cursors. */
  edges: Array<CollectionEdge>;
  /** The items of this page, without cursors (a shortcut for `edges { node }`). */
  nodes: Array<Collection>;
  /** Pagination state of this page. */
  pageInfo: PageInfo;
  /** Collections in all, when KonbiniAPI knows it. */
  totalCount?: Maybe<Scalars['SafeInt']['output']>;
};

/** A collection and its cursor. */
export type CollectionEdge = {
  __typename?: 'CollectionEdge';
  /** Opaque cursor of this edge: `after` it resumes with the next item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Collection;
};

/** A comment on a video, or a reply to one. */
export type Comment = Node & {
  __typename?: 'Comment';
  /** Who wrote it; null when KonbiniAPI leaves it out (its published examples do). */
  author?: Maybe<User>;
  /** TikTok’s id (`entityId`, else the digits after `/comment/` in its permalink). */
  commentId: Scalars['String']['output'];
  /** Opaque global id (Relay); `node(id:)` refetches the object. */
  id: Scalars['ID']['output'];
  /** Whether the video’s author liked it. */
  isLikedByCreator?: Maybe<Scalars['Boolean']['output']>;
  /** Whether it is pinned. */
  isPinned?: Maybe<Scalars['Boolean']['output']>;
  /** Whether it is a reply to another comment. */
  isReply: Scalars['Boolean']['output'];
  /** Language code. */
  language?: Maybe<Scalars['String']['output']>;
  /** Likes. */
  likeCount: Scalars['SafeInt']['output'];
  /** When it was posted, when KonbiniAPI says. */
  publishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Replies, in TikTok’s order. Pages of 50; empty without a call for a reply or when `replyCount` is 0. */
  replies?: Maybe<CommentConnection>;
  /** Replies, when KonbiniAPI says. */
  replyCount?: Maybe<Scalars['SafeInt']['output']>;
  /** The text. */
  text: Scalars['String']['output'];
  /** The comment’s permalink. */
  url: Scalars['URL']['output'];
  /** The video it is on. */
  video: Video;
};


/** A comment on a video, or a reply to one. */
export type CommentRepliesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of comments. */
export type CommentConnection = {
  __typename?: 'CommentConnection';
  /** The items of this page with their cursors. */
  edges: Array<CommentEdge>;
  /** The items of this page, without cursors (a shortcut for `edges { node }`). */
  nodes: Array<Comment>;
  /** Pagination state of this page. */
  pageInfo: PageInfo;
  /** Comments in all, when KonbiniAPI knows it. */
  totalCount?: Maybe<Scalars['SafeInt']['output']>;
};

/** A comment and its cursor. */
export type CommentEdge = {
  __typename?: 'CommentEdge';
  /** Opaque cursor of this edge: `after` it resumes with the next item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Comment;
};

/** A hashtag or challenge. It is known by its name alone: only `videos` calls KonbiniAPI. */
export type Hashtag = Node & {
  __typename?: 'Hashtag';
  /** Opaque global id (Relay); `node(id:)` refetches the object. */
  id: Scalars['ID']['output'];
  /** The name, without `#`, in lower case. */
  name: Scalars['String']['output'];
  /** The hashtag’s page on tiktok.com. */
  url: Scalars['URL']['output'];
  /** Videos with this hashtag; NOT_FOUND here when TikTok has no such tag. Pages of 30. */
  videos?: Maybe<VideoConnection>;
};


/** A hashtag or challenge. It is known by its name alone: only `videos` calls KonbiniAPI. */
export type HashtagVideosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** An HTTP header to send when downloading a file. */
export type HttpHeader = {
  __typename?: 'HttpHeader';
  /** Header name, such as `Cookie` or `Referer`. */
  name: Scalars['String']['output'];
  /** Header value. */
  value: Scalars['String']['output'];
};

/** An image on TikTok’s CDN (avatar, cover, thumbnail). */
export type Image = {
  __typename?: 'Image';
  /** Height in pixels, when known. */
  height?: Maybe<Scalars['Int']['output']>;
  /** Where to fetch the image. */
  url: Scalars['URL']['output'];
  /** Width in pixels, when known. */
  width?: Maybe<Scalars['Int']['output']>;
};

/** An external link shown in a bio. */
export type Link = {
  __typename?: 'Link';
  /** The link target. */
  href: Scalars['URL']['output'];
  /** Relation hint, such as `preferred`. */
  rel?: Maybe<Scalars['String']['output']>;
};

/** A live broadcast in progress. No global id: KonbiniAPI finds a stream only through its host. */
export type LiveStream = {
  __typename?: 'LiveStream';
  /** Cover images. */
  covers: Array<Image>;
  /** Who is broadcasting: the user whose stream this is. */
  host: User;
  /** Whether it is still on air. */
  isLive: Scalars['Boolean']['output'];
  /** TikTok’s room id (`entityId`); the permalink is the same for every stream of a host. */
  roomId: Scalars['String']['output'];
  /** When it started. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Stream sources (FLV and others), the first preferred. */
  streams: Array<Media>;
  /** Its title. */
  title?: Maybe<Scalars['String']['output']>;
  /** The live page. */
  url: Scalars['URL']['output'];
  /** Views so far. */
  viewCount?: Maybe<Scalars['SafeInt']['output']>;
  /** People watching now. */
  viewerCount?: Maybe<Scalars['SafeInt']['output']>;
};

/** One rendition of a story’s, video’s or live stream’s media: a file in some quality, or an image. */
export type Media = {
  __typename?: 'Media';
  /** Bitrate in bits per second. */
  bitrate?: Maybe<Scalars['SafeInt']['output']>;
  /** Video codec, such as `h264`. */
  codec?: Maybe<Scalars['String']['output']>;
  /** Headers TikTok’s CDN requires on the download request (empty when none are needed). */
  downloadHeaders: Array<HttpHeader>;
  /** Height in pixels. */
  height?: Maybe<Scalars['Int']['output']>;
  /** MIME type, such as `video/mp4`. */
  mediaType?: Maybe<Scalars['String']['output']>;
  /** TikTok’s quality label, such as `normal_540_0`. */
  quality?: Maybe<Scalars['String']['output']>;
  /** Download URLs of this rendition, the first preferred; the others are mirrors. */
  urls: Array<Scalars['URL']['output']>;
  /** Width in pixels. */
  width?: Maybe<Scalars['Int']['output']>;
};

/** An object with a global id, refetchable with `node(id:)`. */
export type Node = {
  /** Opaque global id (Relay); `node(id:)` refetches the object. */
  id: Scalars['ID']['output'];
};

/** Where a page of a connection sits in the whole list. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge (pass it as `after` for the next page), null when empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items precede this page (true when `after` was given). */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first edge, null when the page is empty. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Where a video was made. */
export type Place = {
  __typename?: 'Place';
  /** Latitude. */
  latitude?: Maybe<Scalars['Float']['output']>;
  /** Longitude. */
  longitude?: Maybe<Scalars['Float']['output']>;
  /** Place name or country code. */
  name: Scalars['String']['output'];
  /** TikTok’s id of the place. */
  placeId?: Maybe<Scalars['String']['output']>;
  /** The place’s page. */
  url?: Maybe<Scalars['URL']['output']>;
};

/** How recent search results must be. */
export type PublishedWithin =
  /** Any time. */
  | 'ALL_TIME'
  /** The last three months. */
  | 'LAST_3_MONTHS'
  /** The last six months. */
  | 'LAST_6_MONTHS'
  /** The last month. */
  | 'THIS_MONTH'
  /** The last week. */
  | 'THIS_WEEK'
  /** The last day. */
  | 'YESTERDAY';

/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type Query = {
  __typename?: 'Query';
  /** A sound or track by its TikTok audio id; null with NOT_FOUND when there is none. */
  audio?: Maybe<Audio>;
  /** A hashtag by name (`#` optional). Costs nothing until its `videos` are read. */
  hashtag: Hashtag;
  /** Any object this server handed out, by its global id. */
  node?: Maybe<Node>;
  /** Objects by global id, one entry per id, in order (null where missing). */
  nodes: Array<Maybe<Node>>;
  /** Videos and accounts for `query`. Pages of 100; results drift between searches. */
  search?: Maybe<SearchResultConnection>;
  /** Accounts for `query`. Pages of 10 (TikTok’s fixed size): `first: 100` costs 10 credits. */
  searchUsers?: Maybe<UserConnection>;
  /** Videos for `query`. Pages of 100. */
  searchVideos?: Maybe<VideoConnection>;
  /** A TikTok user by username (`name` or `@name`, any case); null with NOT_FOUND when there is none. */
  user?: Maybe<User>;
  /** Several users at once: one entry per username, in order, null (with an error) where missing. */
  users: Array<Maybe<User>>;
  /** A video by its TikTok id; null with NOT_FOUND when there is none. */
  video?: Maybe<Video>;
  /** Several videos: one entry per id, in order, null (with an error) where missing. */
  videos: Array<Maybe<Video>>;
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QueryAudioArgs = {
  audioId: Scalars['String']['input'];
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QueryHashtagArgs = {
  name: Scalars['String']['input'];
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QuerySearchArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  order?: InputMaybe<SearchOrder>;
  publishedWithin?: InputMaybe<PublishedWithin>;
  query: Scalars['String']['input'];
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QuerySearchUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QuerySearchVideosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  order?: InputMaybe<SearchOrder>;
  publishedWithin?: InputMaybe<PublishedWithin>;
  query: Scalars['String']['input'];
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QueryUserArgs = {
  username: Scalars['String']['input'];
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QueryUsersArgs = {
  usernames: Array<Scalars['String']['input']>;
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QueryVideoArgs = {
  videoId: Scalars['String']['input'];
};


/** Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI. */
export type QueryVideosArgs = {
  videoIds: Array<Scalars['String']['input']>;
};

/** How search results are ranked. */
export type SearchOrder =
  /** Newest first. */
  | 'DATE_POSTED'
  /** Most liked first. */
  | 'MOST_LIKED'
  /** Best match first (TikTok’s ranking). */
  | 'RELEVANCE';

/** A search hit: a video or an account (KonbiniAPI’s `Person` and `Organization` are both `User`). */
export type SearchResult = User | Video;

/** A page of search hits. */
export type SearchResultConnection = {
  __typename?: 'SearchResultConnection';
  /** The items of this page with their cursors. */
  edges: Array<SearchResultEdge>;
  /** The items of this page, without cursors (a shortcut for `edges { node }`). */
  nodes: Array<SearchResult>;
  /** Pagination state of this page. */
  pageInfo: PageInfo;
  /** Hits in all, when KonbiniAPI knows it. */
  totalCount?: Maybe<Scalars['SafeInt']['output']>;
};

/** A search hit and its cursor. */
export type SearchResultEdge = {
  __typename?: 'SearchResultEdge';
  /** Opaque cursor of this edge: `after` it resumes with the next item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: SearchResult;
};

/** A story: a video or images visible for 24 hours. */
export type Story = Node & {
  __typename?: 'Story';
  /** The sound playing in the story. */
  audio?: Maybe<Audio>;
  /** Who posted it. */
  author: User;
  /** The caption. */
  caption?: Maybe<Scalars['String']['output']>;
  /** Comments. */
  commentCount: Scalars['SafeInt']['output'];
  /** The cover (first) image. */
  cover?: Maybe<Image>;
  /** Length in seconds (videos). */
  duration?: Maybe<Scalars['Float']['output']>;
  /** When it disappears. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Opaque global id (Relay); `node(id:)` refetches the object. */
  id: Scalars['ID']['output'];
  /** All images: the cover or thumbnails of a video, the pictures of an image story. */
  images: Array<Image>;
  /** Video or images. */
  kind: StoryKind;
  /** Likes. */
  likeCount: Scalars['SafeInt']['output'];
  /** Every rendition of the story: video files in each quality, or the images of an image story. */
  media: Array<Media>;
  /** Animated preview thumbnail. */
  preview?: Maybe<Image>;
  /** When it was posted. */
  publishedAt: Scalars['DateTime']['output'];
  /** Reposts. */
  repostCount: Scalars['SafeInt']['output'];
  /** Saves (bookmarks). */
  saveCount: Scalars['SafeInt']['output'];
  /** Shares. */
  shareCount: Scalars['SafeInt']['output'];
  /** TikTok’s id of the story. */
  storyId: Scalars['String']['output'];
  /** The story on tiktok.com. */
  url: Scalars['URL']['output'];
  /** Views. */
  viewCount: Scalars['SafeInt']['output'];
};

/** A page of stories. */
export type StoryConnection = {
  __typename?: 'StoryConnection';
  /** The items of this page with their cursors. */
  edges: Array<StoryEdge>;
  /** The items of this page, without cursors (a shortcut for `edges { node }`). */
  nodes: Array<Story>;
  /** Pagination state of this page. */
  pageInfo: PageInfo;
  /** Active stories in all, when KonbiniAPI knows it. */
  totalCount?: Maybe<Scalars['SafeInt']['output']>;
};

/** A story and its cursor. */
export type StoryEdge = {
  __typename?: 'StoryEdge';
  /** Opaque cursor of this edge: `after` it resumes with the next item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Story;
};

/** What a story shows. */
export type StoryKind =
  /** One or more still images. */
  | 'IMAGE'
  /** A video clip. */
  | 'VIDEO';

/** Changes as they happen, over GraphQL over SSE or WebSocket (graphql-ws). Each watched user is polled once per interval for every subscriber, so an event arrives at most one interval (LIVE_POLL_INTERVAL_MS, stretched under LIVE_MAX_CREDITS_PER_HOUR) after the change. */
export type Subscription = {
  __typename?: 'Subscription';
  /** The user’s profile each time one of its fields changes (followers, live status, bio...). */
  profileChanged: User;
  /** Stories of these users as they are published; nothing for stories that existed when the subscription started. */
  storyPublished: Story;
  /** Videos these users post from now on; nothing for videos that existed when the subscription started. */
  videoPublished: Video;
};


/** Changes as they happen, over GraphQL over SSE or WebSocket (graphql-ws). Each watched user is polled once per interval for every subscriber, so an event arrives at most one interval (LIVE_POLL_INTERVAL_MS, stretched under LIVE_MAX_CREDITS_PER_HOUR) after the change. */
export type SubscriptionProfileChangedArgs = {
  username: Scalars['String']['input'];
};


/** Changes as they happen, over GraphQL over SSE or WebSocket (graphql-ws). Each watched user is polled once per interval for every subscriber, so an event arrives at most one interval (LIVE_POLL_INTERVAL_MS, stretched under LIVE_MAX_CREDITS_PER_HOUR) after the change. */
export type SubscriptionStoryPublishedArgs = {
  usernames: Array<Scalars['String']['input']>;
};


/** Changes as they happen, over GraphQL over SSE or WebSocket (graphql-ws). Each watched user is polled once per interval for every subscriber, so an event arrives at most one interval (LIVE_POLL_INTERVAL_MS, stretched under LIVE_MAX_CREDITS_PER_HOUR) after the change. */
export type SubscriptionVideoPublishedArgs = {
  usernames: Array<Scalars['String']['input']>;
};

/** Subtitles of a video. */
export type Transcript = {
  __typename?: 'Transcript';
  /** The language TikTok answered (BCP 47); it may be more specific than the one asked. */
  language: Scalars['String']['output'];
  /** MIME type, `text/vtt`. */
  mediaType: Scalars['String']['output'];
  /** Size in bytes. */
  size?: Maybe<Scalars['SafeInt']['output']>;
  /** How it was made (null when KonbiniAPI says something else). */
  source?: Maybe<TranscriptSource>;
  /** The transcript’s permalink. */
  url: Scalars['URL']['output'];
  /** The subtitles as WebVTT text. */
  webvtt: Scalars['String']['output'];
};

/** `ORIGINAL` is the spoken language; the others are machine translations (`EN_US` is `en-US`). */
export type TranscriptLanguage =
  /** `ar-SA`. */
  | 'AR_SA'
  /** `az-AZ`. */
  | 'AZ_AZ'
  /** `ca-ES`. */
  | 'CA_ES'
  /** `ceb-PH`. */
  | 'CEB_PH'
  /** `cs-CZ`. */
  | 'CS_CZ'
  /** `da-DK`. */
  | 'DA_DK'
  /** `de-DE`. */
  | 'DE_DE'
  /** `en-US`. */
  | 'EN_US'
  /** `es-ES`. */
  | 'ES_ES'
  /** `et-EE`. */
  | 'ET_EE'
  /** `fil-PH`. */
  | 'FIL_PH'
  /** `fi-FI`. */
  | 'FI_FI'
  /** `fr-FR`. */
  | 'FR_FR'
  /** `ga-IE`. */
  | 'GA_IE'
  /** `he-IL`. */
  | 'HE_IL'
  /** `hr-HR`. */
  | 'HR_HR'
  /** `id-ID`. */
  | 'ID_ID'
  /** `it-IT`. */
  | 'IT_IT'
  /** `ja-JP`. */
  | 'JA_JP'
  /** `ko-KR`. */
  | 'KO_KR'
  /** `lt-LT`. */
  | 'LT_LT'
  /** `lv-LV`. */
  | 'LV_LV'
  /** `ms-MY`. */
  | 'MS_MY'
  /** `nb-NO`. */
  | 'NB_NO'
  /** `nl-NL`. */
  | 'NL_NL'
  /** The language spoken in the video (speech recognition). */
  | 'ORIGINAL'
  /** `pl-PL`. */
  | 'PL_PL'
  /** `pt-PT`. */
  | 'PT_PT'
  /** `ru-RU`. */
  | 'RU_RU'
  /** `sv-SE`. */
  | 'SV_SE'
  /** `sw-SW`. */
  | 'SW_SW'
  /** `th-TH`. */
  | 'TH_TH'
  /** `uk-UA`. */
  | 'UK_UA'
  /** `vi-VN`. */
  | 'VI_VN'
  /** `zh-Hans-CN`. */
  | 'ZH_HANS_CN'
  /** `zh-Hant-CN`. */
  | 'ZH_HANT_CN';

/** How a transcript was made. */
export type TranscriptSource =
  /** Machine translation (`MT`). */
  | 'MACHINE_TRANSLATION'
  /** Speech recognition (`ASR`). */
  | 'SPEECH_RECOGNITION';

/** A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, with an error at its path, when that load fails. */
export type User = Node & {
  __typename?: 'User';
  /** The profile picture. */
  avatar?: Maybe<Image>;
  /** The profile picture in every size TikTok offers. */
  avatars?: Maybe<Array<Image>>;
  /** The bio text. */
  bio?: Maybe<Scalars['String']['output']>;
  /** Playlists and mixes on the profile. Pages of 30. */
  collections?: Maybe<CollectionConnection>;
  /** When the account was created. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** The name shown on the profile. */
  displayName?: Maybe<Scalars['String']['output']>;
  /** Followers. */
  followerCount?: Maybe<Scalars['SafeInt']['output']>;
  /** Accounts following this user, as embedded copies. Pages of 30. */
  followers?: Maybe<UserConnection>;
  /** Accounts this user follows, as embedded copies. Pages of 30. */
  following?: Maybe<UserConnection>;
  /** Accounts this user follows. */
  followingCount?: Maybe<Scalars['SafeInt']['output']>;
  /** Whether the videos this user liked are public. */
  hasLikes?: Maybe<Scalars['Boolean']['output']>;
  /** Whether the user has playlists. */
  hasPlaylists?: Maybe<Scalars['Boolean']['output']>;
  /** Opaque global id (Relay); `node(id:)` refetches the object. */
  id: Scalars['ID']['output'];
  /** Whether the user is live streaming right now. */
  isLive?: Maybe<Scalars['Boolean']['output']>;
  /** Whether the account is private. */
  isPrivate?: Maybe<Scalars['Boolean']['output']>;
  /** Whether TikTok verified the account. */
  isVerified?: Maybe<Scalars['Boolean']['output']>;
  /** Preferred language (BCP 47 code). */
  language?: Maybe<Scalars['String']['output']>;
  /** Likes received across all of this user’s posts (can exceed 2^31). */
  likeCount?: Maybe<Scalars['SafeInt']['output']>;
  /** Videos this user has liked. */
  likedCount?: Maybe<Scalars['SafeInt']['output']>;
  /** Videos this user liked; empty without a call when the profile at hand says `hasLikes: false`. Pages of 35. */
  likedVideos?: Maybe<VideoConnection>;
  /** External links shown in the bio. */
  links?: Maybe<Array<Link>>;
  /** The broadcast on air now; null when the user is not live (KonbiniAPI bills that answer). No call when the profile at hand already says `isLive: false`. */
  liveStream?: Maybe<LiveStream>;
  /** Posts published. */
  mediaCount?: Maybe<Scalars['SafeInt']['output']>;
  /** Videos this user reposted (empty when private). Pages of 30. */
  reposts?: Maybe<VideoConnection>;
  /** TikTok’s stable internal id of the account (survives renames). */
  secUid?: Maybe<Scalars['String']['output']>;
  /** Active stories (the last 24 hours), newest first. `first` defaults to 10 and may be up to 100; pages are forward only, so `last` and `before` are refused. */
  stories?: Maybe<StoryConnection>;
  /** The profile page on tiktok.com. */
  url?: Maybe<Scalars['URL']['output']>;
  /** The handle, without `@`, in lower case. */
  username: Scalars['String']['output'];
  /** Videos posted, in `order`. Pages of 35; a cursor holds its `order`. */
  videos?: Maybe<VideoConnection>;
};


/** A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, with an error at its path, when that load fails. */
export type UserCollectionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, with an error at its path, when that load fails. */
export type UserFollowersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, with an error at its path, when that load fails. */
export type UserFollowingArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, with an error at its path, when that load fails. */
export type UserLikedVideosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, with an error at its path, when that load fails. */
export type UserRepostsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  order?: VideoOrder;
};


/** A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, with an error at its path, when that load fails. */
export type UserStoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, with an error at its path, when that load fails. */
export type UserVideosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  order?: VideoOrder;
};

/** A page of accounts. */
export type UserConnection = {
  __typename?: 'UserConnection';
  /** The items of this page with their cursors. */
  edges: Array<UserEdge>;
  /** The items of this page, without cursors (a shortcut for `edges { node }`). */
  nodes: Array<User>;
  /** Pagination state of this page. */
  pageInfo: PageInfo;
  /** Accounts in all, when KonbiniAPI knows it. */
  totalCount?: Maybe<Scalars['SafeInt']['output']>;
};

/** An account and its cursor. */
export type UserEdge = {
  __typename?: 'UserEdge';
  /** Opaque cursor of this edge: `after` it resumes with the next item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: User;
};

/** A TikTok video post. A video in a list holds every field; a video named by id loads its detail once, unless only `id`, `videoId` and `comments` are read. */
export type Video = Node & {
  __typename?: 'Video';
  /** The sound. */
  audio?: Maybe<Audio>;
  /** Who posted it. */
  author: User;
  /** The caption. */
  caption?: Maybe<Scalars['String']['output']>;
  /** Comments. */
  commentCount: Scalars['SafeInt']['output'];
  /** Top-level comments, in TikTok’s order. Pages of 50. */
  comments?: Maybe<CommentConnection>;
  /** The cover (first thumbnail). */
  cover?: Maybe<Image>;
  /** A file URL that needs no cookies, valid for a few hours; each fetch costs a credit (cached 30 min). */
  downloadUrl?: Maybe<Scalars['URL']['output']>;
  /** Length in seconds. */
  duration?: Maybe<Scalars['Float']['output']>;
  /** Hashtags of the caption: `tag` items, less those that link to a profile (`/@…`). */
  hashtags: Array<Hashtag>;
  /** Opaque global id (Relay); `node(id:)` refetches the object. */
  id: Scalars['ID']['output'];
  /** Every thumbnail. */
  images: Array<Image>;
  /** Whether it is a promoted ad. */
  isSponsored?: Maybe<Scalars['Boolean']['output']>;
  /** Content language (BCP 47). */
  language?: Maybe<Scalars['String']['output']>;
  /** Likes. */
  likeCount: Scalars['SafeInt']['output'];
  /** Where it was made. */
  location?: Maybe<Place>;
  /** The video file in each quality, with the headers TikTok’s CDN wants. */
  media: Array<Media>;
  /** Animated preview thumbnail. */
  preview?: Maybe<Image>;
  /** When it was posted. */
  publishedAt: Scalars['DateTime']['output'];
  /** Reposts. */
  repostCount: Scalars['SafeInt']['output'];
  /** Saves (bookmarks). */
  saveCount: Scalars['SafeInt']['output'];
  /** Shares. */
  shareCount: Scalars['SafeInt']['output'];
  /** Subtitles as WebVTT; null when TikTok has none in that language. */
  transcript?: Maybe<Transcript>;
  /** The video on tiktok.com. */
  url: Scalars['URL']['output'];
  /** TikTok’s id of the video (`entityId`): 19 digits, always a string. */
  videoId: Scalars['String']['output'];
  /** Views (viral videos exceed 2^31). */
  viewCount: Scalars['SafeInt']['output'];
};


/** A TikTok video post. A video in a list holds every field; a video named by id loads its detail once, unless only `id`, `videoId` and `comments` are read. */
export type VideoCommentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A TikTok video post. A video in a list holds every field; a video named by id loads its detail once, unless only `id`, `videoId` and `comments` are read. */
export type VideoTranscriptArgs = {
  language?: TranscriptLanguage;
};

/** A page of videos. */
export type VideoConnection = {
  __typename?: 'VideoConnection';
  /** The items of this page with their cursors. */
  edges: Array<VideoEdge>;
  /** The items of this page, without cursors (a shortcut for `edges { node }`). */
  nodes: Array<Video>;
  /** Pagination state of this page. */
  pageInfo: PageInfo;
  /** Videos in all, when KonbiniAPI knows it. */
  totalCount?: Maybe<Scalars['SafeInt']['output']>;
};

/** A video and its cursor. */
export type VideoEdge = {
  __typename?: 'VideoEdge';
  /** Opaque cursor of this edge: `after` it resumes with the next item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Video;
};

/** The order of a user’s videos or reposts. */
export type VideoOrder =
  /** Newest first. */
  | 'NEWEST'
  /** Oldest first. */
  | 'OLDEST'
  /** Most viewed first. */
  | 'POPULAR';

export type CompareUsersQueryVariables = Exact<{
  usernames: Array<Scalars['String']['input']> | Scalars['String']['input'];
}>;


export type CompareUsersQuery = { __typename?: 'Query', users: Array<{ __typename?: 'User', username: string, followerCount?: number | null, likeCount?: number | null, mediaCount?: number | null } | null> };

export type UserProfileQueryVariables = Exact<{
  username: Scalars['String']['input'];
}>;


export type UserProfileQuery = { __typename?: 'Query', user?: { __typename?: 'User', id: string, username: string, displayName?: string | null, isVerified?: boolean | null, followerCount?: number | null, likeCount?: number | null, bio?: string | null, links?: Array<{ __typename?: 'Link', href: string }> | null, avatar?: { __typename?: 'Image', url: string } | null } | null };

export type UserStoriesQueryVariables = Exact<{
  username: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type UserStoriesQuery = { __typename?: 'Query', user?: { __typename?: 'User', displayName?: string | null, stories?: { __typename?: 'StoryConnection', totalCount?: number | null, edges: Array<{ __typename?: 'StoryEdge', cursor: string, node: { __typename?: 'Story', id: string, kind: StoryKind, caption?: string | null, publishedAt: string, viewCount: number, author: { __typename?: 'User', username: string, displayName?: string | null }, audio?: { __typename?: 'Audio', title?: string | null, authors?: Array<{ __typename?: 'User', username: string }> | null } | null } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } | null } | null };

export type StoryCardFragment = { __typename?: 'Story', id: string, kind: StoryKind, caption?: string | null, publishedAt: string, viewCount: number, author: { __typename?: 'User', username: string, displayName?: string | null }, audio?: { __typename?: 'Audio', title?: string | null, authors?: Array<{ __typename?: 'User', username: string }> | null } | null };

export const StoryCardFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StoryCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Story"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"caption"}},{"kind":"Field","name":{"kind":"Name","value":"publishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"viewCount"}},{"kind":"Field","name":{"kind":"Name","value":"author"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"audio"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"authors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}}]}}]}}]}}]} as unknown as DocumentNode<StoryCardFragment, unknown>;
export const CompareUsersDocument = {"__meta__":{"hash":"26b0b4c27d62b8748b8e37219bb6ec9242818d62"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompareUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"usernames"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"usernames"},"value":{"kind":"Variable","name":{"kind":"Name","value":"usernames"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"followerCount"}},{"kind":"Field","name":{"kind":"Name","value":"likeCount"}},{"kind":"Field","name":{"kind":"Name","value":"mediaCount"}}]}}]}}]} as unknown as DocumentNode<CompareUsersQuery, CompareUsersQueryVariables>;
export const UserProfileDocument = {"__meta__":{"hash":"385b272a7169915566df3916b4bd6fb8bfe5c897"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UserProfile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"username"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"username"},"value":{"kind":"Variable","name":{"kind":"Name","value":"username"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"isVerified"}},{"kind":"Field","name":{"kind":"Name","value":"followerCount"}},{"kind":"Field","name":{"kind":"Name","value":"likeCount"}},{"kind":"Field","name":{"kind":"Name","value":"bio"}},{"kind":"Field","name":{"kind":"Name","value":"links"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"href"}}]}},{"kind":"Field","name":{"kind":"Name","value":"avatar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]} as unknown as DocumentNode<UserProfileQuery, UserProfileQueryVariables>;
export const UserStoriesDocument = {"__meta__":{"hash":"662236734c435590ba288a60bfe70773de07a340"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UserStories"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"username"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"4"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"username"},"value":{"kind":"Variable","name":{"kind":"Name","value":"username"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"stories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StoryCard"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StoryCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Story"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"caption"}},{"kind":"Field","name":{"kind":"Name","value":"publishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"viewCount"}},{"kind":"Field","name":{"kind":"Name","value":"author"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"audio"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"authors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}}]}}]}}]}}]} as unknown as DocumentNode<UserStoriesQuery, UserStoriesQueryVariables>;