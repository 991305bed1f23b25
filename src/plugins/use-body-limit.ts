/**
 * Refuses request bodies over the limit with 413 before Yoga reads them. A POST must declare its
 * length (411 otherwise): every GraphQL client does, and a streamed body of unknown size could only
 * be bounded by reading it.
 */
import type { Plugin } from 'graphql-yoga';
import { refusal } from './json-response.js';

export function useBodyLimit(limit: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      if (declared === null) {
        endResponse(refusal(fetchAPI.Response, 411, 'LENGTH_REQUIRED', 'A POST body must declare its Content-Length.'));
      } else if (!(Number(declared) <= limit)) {
        endResponse(refusal(fetchAPI.Response, 413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${limit} bytes.`));
      }
    },
  };
}
