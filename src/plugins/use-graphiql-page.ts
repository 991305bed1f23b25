/**
 * GraphiQL's page served as a static asset: rendered and compressed once, on the first GET, then sent
 * as the same bytes to every browser, gzipped when it accepts gzip, with an ETag (a reload is a 304).
 * The page is megabytes of inlined assets; rendering or encoding it per GET cost every other client.
 * Nothing of it is loaded before that first GET (see renderGraphiQL); other requests stay synchronous.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

interface Page {
  html: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
}

function pageOf(rendered: string): Page {
  const html = Buffer.from(rendered);
  // Copies into plain ArrayBuffers, once: what a Response body takes.
  return {
    html: new Uint8Array(html),
    gzip: new Uint8Array(gzipSync(html)),
    etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`,
  };
}

/** Serves the page `render()` resolves to at `path` to GETs that accept HTML. */
export function useGraphiQLPage(render: () => Promise<string>, path = '/graphql'): Plugin {
  let page: Promise<Page> | undefined;
  const built = () => {
    page ??= render()
      .then(pageOf)
      .catch((error: unknown) => {
        page = undefined; // the next GET tries again
        throw error;
      });
    return page;
  };
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== 'GET' || !request.headers.get('accept')?.includes('text/html')) return;
      if (url.pathname !== path && url.pathname !== `${path}/`) return;
      return built().then((ready) => serve(ready, request, fetchAPI, endResponse));
    },
  };
}

function serve({ html, gzip, etag }: Page, request: Request, fetchAPI: { Response: typeof Response }, endResponse: (response: Response) => void): void {
  const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
  if (request.headers.get('if-none-match') === etag) {
    endResponse(new fetchAPI.Response(null, { status: 304, headers }));
    return;
  }
  const gzipped = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
  if (gzipped) headers['content-encoding'] = 'gzip';
  const body = gzipped ? gzip : html;
  headers['content-length'] = String(body.byteLength);
  endResponse(new fetchAPI.Response(body, { status: 200, headers }));
}
