/**
 * Transcripts: most videos have one in their spoken language (`original`, by speech recognition) and a
 * few machine translations; every other language of the contract's enum is a billed 404.
 */
import type { OkData } from '../upstream/types.js';
import { CONTEXT } from './common.js';
import { hash32, seededRandom } from './random.js';
import type { Video } from './videos.js';

export type Transcript = OkData<'tiktokGetVideoTranscript'>;

const SPOKEN: Record<string, string> = { en: 'en-US', fr: 'fr-FR', es: 'es-ES', ja: 'ja-JP', pt: 'pt-PT' };
const LINES = ['Hello everyone', 'so here is the thing', 'you do not need all that', 'just do it the simple way', 'and that is it', 'see you tomorrow'];

/** The languages a video has a transcript in (`original` first), from the contract's enum. */
export function transcriptLanguages(video: Video, languages: readonly string[]): string[] {
  const h = hash32(`transcripts:${video.entityId}`);
  if (h % 10 >= 7) return [];
  const translations = languages.filter((language, i) => language !== 'original' && (h >>> (i % 24)) % 5 === 0);
  return ['original', ...translations];
}

/** WebVTT cues of the video, one every 2.5 s. */
function webvtt(seed: string, language: string, duration: number): string {
  const rng = seededRandom(seed);
  const cues = Math.max(1, Math.min(8, Math.floor(duration / 2.5)));
  const stamp = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  const lines = Array.from(
    { length: cues },
    (_, i) => `${stamp(i * 2500)} --> ${stamp((i + 1) * 2500)}\n${language === 'original' ? '' : `[${language}] `}${rng.pick(LINES)}`,
  );
  return `WEBVTT\n\n${lines.join('\n\n')}`;
}

/** The transcript of `video` in `language` (an enum value it has). */
export function transcriptOf(video: Video, language: string): Transcript {
  const answered = language === 'original' ? (SPOKEN[video.language ?? 'en'] ?? 'en-US') : language;
  const content = webvtt(`vtt:${video.entityId}:${language}`, language, video.duration ?? 10);
  return {
    '@context': CONTEXT,
    type: 'Document',
    id: `${video.url}/transcript/${answered}`,
    url: video.url,
    mediaType: 'text/vtt',
    language: answered,
    size: Buffer.byteLength(content),
    source: language === 'original' ? 'ASR' : 'MT',
    content,
  };
}
