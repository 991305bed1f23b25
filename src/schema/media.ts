/** Media renditions, images, links and download headers: plain value types without identity. */
import { complete } from '../cost/declarations.js';
import { contractValue } from './contract-fields.js';
import { HttpHeaderRef, ImageRef, LinkRef, MediaRef } from './refs.js';

ImageRef.implement({
  extensions: complete,
  description: 'An image on TikTok’s CDN (avatar, cover, thumbnail).',
  fields: (t) => ({
    url: t.field({ type: 'URL', description: 'Where to fetch the image.', resolve: (image) => contractValue(image, 'url') }),
    width: t.exposeInt('width', { nullable: true, description: 'Width in pixels, when known.' }),
    height: t.exposeInt('height', { nullable: true, description: 'Height in pixels, when known.' }),
  }),
});

LinkRef.implement({
  extensions: complete,
  description: 'An external link shown in a bio.',
  fields: (t) => ({
    href: t.field({ type: 'URL', description: 'The link target.', resolve: (link) => contractValue(link, 'href') }),
    rel: t.exposeString('rel', { nullable: true, description: 'Relation hint, such as `preferred`.' }),
  }),
});

HttpHeaderRef.implement({
  extensions: complete,
  description: 'An HTTP header to send when downloading a file.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Header name, such as `Cookie` or `Referer`.' }),
    value: t.exposeString('value', { description: 'Header value.' }),
  }),
});

MediaRef.implement({
  extensions: complete,
  description: 'One rendition of a story’s, video’s or live stream’s media: a file in some quality, or an image.',
  fields: (t) => ({
    urls: t.field({
      type: ['URL'],
      description: 'Download URLs of this rendition, the first preferred; the others are mirrors.',
      resolve: ({ attachment }) => contractValue(attachment, 'url'),
    }),
    mediaType: t.string({
      nullable: true,
      description: 'MIME type, such as `video/mp4`.',
      resolve: ({ attachment }) => attachment.mediaType,
    }),
    width: t.int({ nullable: true, description: 'Width in pixels.', resolve: ({ attachment }) => attachment.width }),
    height: t.int({ nullable: true, description: 'Height in pixels.', resolve: ({ attachment }) => attachment.height }),
    quality: t.string({
      nullable: true,
      description: 'TikTok’s quality label, such as `normal_540_0`.',
      resolve: ({ attachment }) => attachment.name,
    }),
    codec: t.string({ nullable: true, description: 'Video codec, such as `h264`.', resolve: ({ attachment }) => attachment.codec }),
    bitrate: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Bitrate in bits per second.',
      resolve: ({ attachment }) => attachment.bitrate,
    }),
    downloadHeaders: t.field({
      type: [HttpHeaderRef],
      description: 'Headers TikTok’s CDN requires on the download request (empty when none are needed).',
      resolve: ({ attachment }) =>
        Object.entries(('headers' in attachment ? attachment.headers : undefined) ?? {})
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
          .map(([name, value]) => ({ name, value })),
    }),
  }),
});
