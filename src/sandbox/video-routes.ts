/** The five routes under /videos/{videoId}: the video, a download URL, comments, replies, transcripts. */
import { OPERATIONS } from '../upstream/operations.generated.js';
import { type Answer, invalid, notFound, ok, type RouteContext, routeNotFound } from './answers.js';
import { CONTEXT } from './common.js';
import { commentAt, commentExists, commentSerials, replyAt, replyCountOf, shifts } from './comments.js';
import { parseVideoId } from './ids.js';
import { exampleFor } from './examples.js';
import { isAnswer, type ListQuery, offsetSlice, pageAnswer, readList } from './pages.js';
import { hash32 } from './random.js';
import { transcriptLanguages, transcriptOf } from './transcripts.js';
import { sandboxVideo, sandboxVideoDetails, type Video } from './videos.js';

const LANGUAGES = OPERATIONS.tiktokGetVideoTranscript.pathEnums.language;
const DOWNLOAD_TTL_MS = 6 * 60 * 60 * 1000;

/** GET /videos/{videoId}[/download | /comments | /comments/{c}/replies | /transcripts/{language}]. */
export function videoRoute(parts: string[], url: URL, context: RouteContext): Answer {
  const [videoId, sub, commentId, leaf] = parts as [string, string | undefined, string | undefined, string | undefined];
  const shape = [sub, commentId !== undefined, leaf].join('/');
  const known = ['/false/', 'download/false/', 'comments/false/', 'comments/true/replies', 'transcripts/true/'];
  if (!known.includes(shape)) return routeNotFound();
  if (!/^\d{1,19}$/.test(videoId)) return invalid('Invalid video id');
  if (sub === 'transcripts' && !(LANGUAGES as readonly string[]).includes(commentId!)) return invalid(`language must be one of ${LANGUAGES.join(', ')}`);
  if (leaf === 'replies' && !/^\d{1,19}$/.test(commentId!)) return invalid('Invalid comment id');
  const given = url.searchParams.get('url');
  if (sub === 'download' && given !== null && !URL.canParse(given)) return invalid('url must be a URI');
  // Parameters are checked before anything is looked up, as the API does.
  const query = sub === 'comments' ? readList(url, leaf === 'replies' ? 'tiktokGetCommentReplies' : 'tiktokGetVideoComments') : undefined;
  if (isAnswer(query)) return query;
  const video = sandboxVideo(videoId) ?? exampleVideo(videoId);
  if (!video) return notFound('Video not found');
  if (sub === undefined) return ok(sandboxVideoDetails(videoId));
  if (sub === 'download') return download(video, context.nowMs);
  if (sub === 'transcripts') return transcript(video, commentId!, context.wantsVtt);
  const owner = parseVideoId(videoId)?.owner ?? '';
  if (leaf === 'replies') return replies(video, owner, commentId!, query!, context);
  const fetches = shifts(video, owner) ? context.fetches(`comments:${videoId}`) : 0;
  const serials = commentSerials(video, fetches);
  const page = offsetSlice(serials, query!);
  return pageAnswer(query!, { items: page.items.map((serial) => commentAt(video, owner, serial)), nextCursor: page.nextCursor }, serials.length);
}

/** The video of the published example (H7), so that its download URL and transcripts answer too. */
function exampleVideo(videoId: string): Video | undefined {
  const example = exampleFor(new URL(`https://api.konbiniapi.com/v1/tiktok/videos/${videoId}`));
  return (example?.response.body as { data?: Video } | undefined)?.data;
}

function replies(video: Video, owner: string, commentId: string, query: ListQuery, context: RouteContext): Answer {
  // On a shifting video, any comment served so far has replies.
  const serial = commentExists(video, commentId, shifts(video, owner) ? context.fetches(`comments:${video.entityId}`, true) : 0);
  if (serial === undefined) return notFound('Comment not found');
  const all = Array.from({ length: replyCountOf(video.entityId, serial) }, (_, i) => i);
  const page = offsetSlice(all, query);
  return pageAnswer(query, { items: page.items.map((i) => replyAt(video, owner, commentId, i)), nextCursor: page.nextCursor }, all.length);
}

function download(video: Video, nowMs: number): Answer {
  const expires = Math.floor((nowMs + DOWNLOAD_TTL_MS) / 1000);
  const signature = hash32(`${video.entityId}:${expires}`).toString(16);
  return ok({
    '@context': CONTEXT,
    type: 'Video',
    url: `https://v16m-default.tiktokcdn-us.com/${signature}/${video.entityId}/?a=1988&expire=${expires}&mime_type=video_mp4&vvpl=1`,
    mediaType: 'video/mp4',
  });
}

function transcript(video: Video, language: string, wantsVtt: boolean): Answer {
  if (!transcriptLanguages(video, LANGUAGES).includes(language)) return notFound('Transcript not found');
  const document = transcriptOf(video, language);
  if (wantsVtt) return { status: 200, body: document.content, contentType: 'text/vtt' };
  return ok(document);
}
