/** The JSON answers plugins give before Yoga runs anything: refusals in the GraphQL error shape, and plain JSON. */

export function jsonResponse(Response: typeof globalThis.Response, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A refusal with a stable `extensions.code`, shaped like any GraphQL error. */
export function refusal(Response: typeof globalThis.Response, status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(Response, status, { errors: [{ message, extensions: { code } }] }, headers);
}
