/** `Audio`: sounds and tracks, from a story's embedded copy or the audio endpoint. */
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import type { AudioDetails, EmbeddedAudio } from '../upstream/types.js';
import { resourceField } from './contract-fields.js';
import { type CostInput, cost, declareNodeCost, embeddedCopy } from '../cost/declarations.js';
import { usernameOf } from './embedded.js';
import { parseAudioId } from './inputs.js';
import { AudioRef, type AudioSource, ImageRef, UserRef, type UserSource } from './refs.js';

export { audioIdOf } from './embedded.js';

type AudioKey = keyof AudioDetails & keyof EmbeddedAudio;

/** An audio field from the details, else the embedded copy, else the audio endpoint. */
function audioField<K extends AudioKey>(audio: AudioSource, key: K, ctx: GraphContext): AudioDetails[K] | Promise<AudioDetails[K]> {
  return resourceField(audio.details, audio.embedded as Partial<Pick<AudioDetails, K>> | undefined, key, () =>
    ctx.loaders.call('tiktokGetAudio', { audioId: audio.audioId }),
  );
}

export async function loadAudio(audioId: string, ctx: GraphContext): Promise<AudioSource> {
  return { audioId, details: await ctx.loaders.call('tiktokGetAudio', { audioId }) };
}

/** Artists assumed per track: the contract does not bound them, so the ledger's backstop does. */
export const ARTISTS_PER_TRACK = 5;

/** A track looked up by id: its details, then what the selections cost on them. */
export function audioLookupCost(c: CostInput, audioId: string): number {
  parseAudioId(audioId);
  return 1 + c.children('loaded', {}, 'Audio');
}

declareNodeCost('Audio', (id, c) => audioLookupCost(c, id));

builder.node(AudioRef, {
  // A story embeds these; any other field loads the track's details.
  extensions: embeddedCopy(['id', 'audioId', 'title', 'duration']),
  description:
    'A sound or music track used in stories. `id` and `audioId` are always there; a story embeds a copy of the track ' +
    'that may lack any other field, which then loads the track on its own, so every other field is null, with an ' +
    'error at its path, when that load fails.',
  id: { resolve: (audio) => audio.audioId },
  loadWithoutCache: (audioId, ctx) => loadAudio(parseAudioId(audioId, 'id'), ctx),
  fields: (t) => ({
    audioId: t.string({ description: 'TikTok’s id of the track.', resolve: (audio) => audio.audioId }),
    title: t.string({ nullable: true, description: 'Track name, such as `original sound`.', resolve: (audio, _, ctx) => audioField(audio, 'name', ctx) }),
    url: t.field({ type: 'URL', nullable: true, description: 'Playback URL of the audio file.', resolve: (audio, _, ctx) => audioField(audio, 'url', ctx) }),
    permalink: t.field({
      type: 'URL',
      nullable: true,
      description: 'The track’s page on tiktok.com.',
      resolve: (audio, _, ctx) => audioField(audio, 'id', ctx),
    }),
    duration: t.float({ nullable: true, description: 'Length in seconds.', resolve: (audio, _, ctx) => audioField(audio, 'duration', ctx) }),
    mediaType: t.string({ nullable: true, description: 'MIME type, such as `audio/mpeg`.', resolve: (audio, _, ctx) => audioField(audio, 'mediaType', ctx) }),
    album: t.string({ nullable: true, description: 'Album name, for licensed tracks.', resolve: (audio, _, ctx) => audioField(audio, 'album', ctx) }),
    isOriginal: t.boolean({
      nullable: true,
      description: 'Whether a user made this sound (rather than a licensed track).',
      resolve: (audio, _, ctx) => audioField(audio, 'isOriginal', ctx),
    }),
    isCopyrighted: t.boolean({
      nullable: true,
      description: 'Whether the track has copyright restrictions.',
      resolve: (audio, _, ctx) => audioField(audio, 'isCopyrighted', ctx),
    }),
    videoCount: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Videos using this track.',
      resolve: (audio, _, ctx) => audioField(audio, 'videoCount', ctx),
    }),
    authors: t.field({
      type: [UserRef],
      nullable: { list: true, items: false },
      description: 'The creator or artists: one or several users.',
      extensions: cost((c) => ARTISTS_PER_TRACK * c.children('embedded')),
      resolve: async (audio, _, ctx) => {
        const attributed = await audioField(audio, 'attributedTo', ctx);
        const users = attributed === undefined ? [] : Array.isArray(attributed) ? attributed : [attributed];
        return users.flatMap((embedded): UserSource[] => {
          const username = usernameOf(embedded);
          return username ? [{ username, embedded }] : [];
        });
      },
    }),
    cover: t.field({ type: ImageRef, nullable: true, description: 'The cover thumbnail.', resolve: (audio, _, ctx) => audioField(audio, 'icon', ctx) }),
    covers: t.field({
      type: [ImageRef],
      nullable: { list: true, items: false },
      description: 'The cover in every size TikTok offers.',
      resolve: async (audio, _, ctx) => (await audioField(audio, 'image', ctx)) ?? [],
    }),
  }),
});

builder.queryFields((t) => ({
  audio: t.field({
    type: AudioRef,
    nullable: true,
    description: 'A sound or track by its TikTok audio id; null with NOT_FOUND when there is none.',
    args: { audioId: t.arg.string({ required: true, description: 'The numeric audio id.' }) },
    resolve: (_, { audioId }, ctx) => loadAudio(parseAudioId(audioId), ctx),
    extensions: cost((c) => c.check(() => audioLookupCost(c, String(c.args.audioId)), 0)),
  }),
}));
