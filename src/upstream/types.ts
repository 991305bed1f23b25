/** Friendly names for the KonbiniAPI bodies, all taken from the generated OpenAPI types. */
import type { components, operations } from './konbini-api.js';

type Schemas = components['schemas'];
export type OkData<Op extends keyof operations> = operations[Op] extends {
  responses: { 200: { content: { 'application/json': { data: infer D } } } };
}
  ? D
  : never;

export type Profile = OkData<'tiktokGetUser'>;
export type StoryPage = OkData<'tiktokGetUserStories'>;
export type AudioDetails = OkData<'tiktokGetAudio'>;
export type Story = Schemas['TikTokStory'];
export type StoryAttachment = Schemas['TikTokStoryAttachment'];
export type EmbeddedUser = Schemas['TikTokEmbeddedUser'];
export type EmbeddedAudio = Schemas['TikTokAudio'];
export type Image = Schemas['TikTokImage'];
export type Link = Schemas['TikTokLink'];
export type DownloadHeaders = Schemas['TikTokVideoAttachmentHeaders'];
export type Video = Schemas['TikTokVideo'];
export type VideoDetails = OkData<'tiktokGetVideo'>;
export type VideoAttachment = Schemas['TikTokVideoAttachment'];
export type LiveAttachment = Schemas['TikTokLiveStreamAttachment'];
export type EmbeddedTag = Schemas['TikTokTag'];
export type Comment = Schemas['TikTokComment'];
export type Collection = Schemas['TikTokCollection'];
export type LiveStream = OkData<'tiktokGetUserLive'>;
export type Transcript = OkData<'tiktokGetVideoTranscript'>;
export type DownloadUrl = OkData<'tiktokGetVideoDownloadUrl'>;
/** One item of a mixed search page: a video, or an account (`Person` or `Organization`). */
export type SearchItem = OkData<'tiktokSearchContent'>['orderedItems'][number];

export { FIRST_PAGE } from './endpoints.js';
