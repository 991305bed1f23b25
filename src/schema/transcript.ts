/**
 * `Video.transcript` (subtitles as WebVTT, in the spoken language or a machine translation) and
 * `Video.downloadUrl` (a file URL that needs no cookies). Both need only the video's id: neither loads
 * the video's detail, and a missing transcript (a billed 404) is null without an error.
 */
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import { complete, cost } from '../cost/declarations.js';
import { OPERATIONS } from '../upstream/endpoints.js';
import { contractValue } from './contract-fields.js';
import { TranscriptRef, type TranscriptSource, VideoRef, type VideoSource } from './refs.js';

/** The contract's language codes (`original` and 35 BCP 47 tags), as the path segment they are sent as. */
export const TRANSCRIPT_LANGUAGES = OPERATIONS.tiktokGetVideoTranscript.pathEnums.language;

/** The GraphQL name of a language code: `zh-Hans-CN` is `ZH_HANS_CN` (enum names cannot hold `-`). */
export const languageEnumName = (code: string) => code.toUpperCase().replace(/-/g, '_');

export const TranscriptLanguage = builder.enumType('TranscriptLanguage', {
  description: '`ORIGINAL` is the spoken language; the others are machine translations (`EN_US` is `en-US`).',
  values: Object.fromEntries(
    TRANSCRIPT_LANGUAGES.map((code) => [
      languageEnumName(code),
      { value: code, description: code === 'original' ? 'The language spoken in the video (speech recognition).' : `\`${code}\`.` },
    ]),
  ) as Record<string, { value: (typeof TRANSCRIPT_LANGUAGES)[number]; description: string }>,
});

export const TranscriptSourceEnum = builder.enumType('TranscriptSource', {
  description: 'How a transcript was made.',
  values: {
    SPEECH_RECOGNITION: { value: 'ASR', description: 'Speech recognition (`ASR`).' },
    MACHINE_TRANSLATION: { value: 'MT', description: 'Machine translation (`MT`).' },
  } as const,
});

/** A transcript, or null when TikTok has none in that language (its 404 is billed, and not an error here). */
async function transcriptOf(video: VideoSource, language: string, ctx: GraphContext): Promise<TranscriptSource | null> {
  return ctx.loaders.find('tiktokGetVideoTranscript', { videoId: video.videoId, language });
}

/** A play URL of the video body in hand, which lets KonbiniAPI skip fetching the video again (time, not credits). */
function playUrlOf(video: VideoSource): string | undefined {
  return video.video?.attachment?.flatMap((attachment) => attachment.url ?? []).find((url) => url.includes('aweme/v1/play/'));
}

TranscriptRef.implement({
  description: 'Subtitles of a video.',
  extensions: complete,
  fields: (t) => ({
    language: t.string({
      description: 'The language TikTok answered (BCP 47); it may be more specific than the one asked.',
      resolve: (transcript) => contractValue(transcript, 'language'),
    }),
    source: t.field({
      type: TranscriptSourceEnum,
      nullable: true,
      description: 'How it was made (null when KonbiniAPI says something else).',
      resolve: (transcript) => (transcript.source === 'ASR' || transcript.source === 'MT' ? transcript.source : null),
    }),
    mediaType: t.string({ description: 'MIME type, `text/vtt`.', resolve: (transcript) => contractValue(transcript, 'mediaType') }),
    webvtt: t.string({ description: 'The subtitles as WebVTT text.', resolve: (transcript) => contractValue(transcript, 'content') }),
    size: t.field({ type: 'SafeInt', nullable: true, description: 'Size in bytes.', resolve: (transcript) => contractValue(transcript, 'size') }),
    url: t.field({ type: 'URL', description: 'The transcript’s permalink.', resolve: (transcript) => contractValue(transcript, 'url') }),
  }),
});

builder.objectFields(VideoRef, (t) => ({
  transcript: t.field({
    type: TranscriptRef,
    nullable: true,
    description: 'Subtitles as WebVTT; null when TikTok has none in that language.',
    args: {
      language: t.arg({
        type: TranscriptLanguage,
        required: true,
        defaultValue: 'original',
        description: 'The language wanted: `ORIGINAL` (spoken) or a machine translation.',
      }),
    },
    resolve: (video, { language }, ctx) => transcriptOf(video, language, ctx),
    extensions: cost(() => 1, { independent: true }),
  }),
  downloadUrl: t.field({
    type: 'URL',
    nullable: true,
    description: 'A file URL that needs no cookies, valid for a few hours; each fetch costs a credit (cached 30 min).',
    resolve: async (video, _, ctx) => {
      const answer = await ctx.loaders.call('tiktokGetVideoDownloadUrl', { videoId: video.videoId, url: playUrlOf(video) });
      return contractValue(answer, 'url');
    },
    extensions: cost(() => 1, { independent: true }),
  }),
}));
