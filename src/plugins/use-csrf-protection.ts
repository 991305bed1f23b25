/**
 * CSRF protection that leaves non-browser clients alone (so the server still accepts GET and form
 * requests, as the GraphQL-over-HTTP audit expects): a request a browser could send cross-site
 * without a preflight is refused when the browser says it is cross-site (Fetch Metadata
 * `Sec-Fetch-Site`) or names another origin. Such a request could otherwise make a visitor's browser
 * spend the operator's credits. JSON POSTs and requests carrying a preflight header (the
 * GraphQL-over-HTTP spec's `GraphQL-Require-Preflight`, or Yoga's `x-graphql-yoga-csrf`) need a CORS
 * preflight anyway, so CORS decides which origins may send them.
 */
import type { Plugin } from 'graphql-yoga';
import { refusal } from './json-response.js';

/** Headers a page can only send after a CORS preflight; any value counts. */
const PREFLIGHT_HEADERS = ['graphql-require-preflight', 'x-graphql-yoga-csrf'];
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

function isSimpleRequest(request: Request): boolean {
  if (PREFLIGHT_HEADERS.some((header) => request.headers.has(header))) return false;
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return request.method === 'POST' && (type === '' || SIMPLE_TYPES.includes(type));
}

function isCrossSite(request: Request, url: URL): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = request.headers.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== url.host;
  } catch {
    return true;
  }
}

export function useCsrfProtection(): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      // Cheapest test first: requests from servers and scripts carry neither Fetch Metadata nor an origin.
      if (!isCrossSite(request, url) || !isSimpleRequest(request)) return;
      const opensGraphiQL = request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
      if (opensGraphiQL) return;
      endResponse(refusal(fetchAPI.Response, 403, 'CSRF_REFUSED', 'Cross-site requests must be JSON POSTs or carry the GraphQL-Require-Preflight header.'));
    },
  };
}
