/** Refuses request bodies over the limit with 413, declared or streamed, before Yoga parses them. */
import type { Plugin } from 'graphql-yoga';

const tooLarge = (Response: typeof globalThis.Response, limit: number) =>
  new Response(
    JSON.stringify({ errors: [{ message: `The request body exceeds ${limit} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }),
    { status: 413, headers: { 'content-type': 'application/json' } },
  );

/** Whether the body streams past `limit` bytes (reads at most `limit` + one chunk). */
async function exceeds(request: Request, limit: number): Promise<boolean> {
  const reader = request.clone().body?.getReader();
  if (!reader) return false;
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return false;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return true;
    }
  }
}

export function useBodyLimit(limit: number): Plugin {
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      if ((declared !== null && Number(declared) > limit) || (declared === null && (await exceeds(request, limit)))) {
        endResponse(tooLarge(fetchAPI.Response, limit));
      }
    },
  };
}
