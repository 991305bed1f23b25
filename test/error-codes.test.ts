/**
 * Every error answer carries an `extensions.code`, and its status follows the GraphQL-over-HTTP spec:
 * under `application/graphql-response+json` an answer without `data` is a 4xx; under
 * `application/json` a well-formed request's answer stays 200.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { setup } from './helpers.js';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const JSON_TYPE = 'application/json';
const USER = 'query($u: String!) { user(username: $u) { username } }';

interface Case {
  name: string;
  method?: string;
  /** A JSON body (stringified), or raw text. */
  body?: unknown;
  raw?: string;
  query?: string;
  headers?: Record<string, string>;
  code: string;
  /** Status under graphql-response+json, then under application/json. */
  status: [number, number];
}

const cases: Case[] = [
  {
    name: 'a subscription without an event stream',
    body: { query: 'subscription { storyPublished(usernames: ["alice"]) { storyId } }' },
    code: 'BAD_REQUEST',
    status: [406, 406],
  },
  { name: 'a mutation', body: { query: 'mutation { follow }' }, code: 'OPERATION_NOT_SUPPORTED', status: [400, 200] },
  { name: 'a variable of the wrong type', body: { query: USER, variables: { u: 5 } }, code: 'BAD_USER_INPUT', status: [400, 200] },
  { name: 'a missing required variable', body: { query: USER }, code: 'BAD_USER_INPUT', status: [400, 200] },
  { name: 'an unknown operationName', body: { query: 'query A { __typename }', operationName: 'B' }, code: 'OPERATION_RESOLUTION_FAILURE', status: [400, 400] },
  { name: 'no query', body: { variables: {} }, code: 'BAD_REQUEST', status: [400, 200] },
  { name: 'a query that is not a string', body: { query: 5 }, code: 'BAD_REQUEST', status: [400, 400] },
  { name: 'variables that are not an object', body: { query: '{ __typename }', variables: 5 }, code: 'BAD_REQUEST', status: [400, 400] },
  { name: 'a malformed JSON body', raw: '{"query":', code: 'BAD_REQUEST', status: [400, 400] },
  { name: 'a mutation by GET', method: 'GET', query: 'mutation { follow }', code: 'BAD_REQUEST', status: [405, 405] },
  { name: 'PUT', method: 'PUT', body: { query: '{ __typename }' }, code: 'BAD_REQUEST', status: [405, 405] },
  { name: 'an unparsable document', body: { query: '{ user(' }, code: 'GRAPHQL_PARSE_FAILED', status: [400, 200] },
  { name: 'an unknown field', body: { query: '{ nope }' }, code: 'GRAPHQL_VALIDATION_FAILED', status: [400, 200] },
  { name: 'a malformed username (the credit estimate)', body: { query: '{ user(username: "..") { username } }' }, code: 'BAD_USER_INPUT', status: [400, 200] },
  {
    name: 'an operation over the credit limit',
    body: { query: 'query($u: [String!]!) { users(usernames: $u) { username } }', variables: { u: Array.from({ length: 50 }, (_, i) => `u${i}`) } },
    code: 'QUERY_TOO_EXPENSIVE',
    status: [400, 200],
  },
  { name: 'a document over the token limit', body: { query: `{ ${'__typename '.repeat(2_100)}}` }, code: 'OPERATION_LIMIT_EXCEEDED', status: [400, 200] },
  {
    name: 'an unknown persisted-query hash',
    body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
    code: 'PERSISTED_QUERY_NOT_FOUND',
    status: [404, 404],
  },
  {
    name: 'a malformed persisted-query hash',
    body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'xyz' } } },
    code: 'PERSISTED_QUERY_INVALID',
    status: [400, 400],
  },
  {
    name: 'a cross-site GET (CSRF)',
    method: 'GET',
    query: '{ __typename }',
    headers: { 'sec-fetch-site': 'cross-site' },
    code: 'CSRF_REFUSED',
    status: [403, 403],
  },
];

async function send(c: Case, accept: string) {
  const { app, calls } = setup({ config: { limits: { ...loadConfig({}).limits, maxCreditsPerOperation: 10 } } });
  const method = c.method ?? 'POST';
  const headers: Record<string, string> = { accept, ...c.headers };
  let url = 'http://localhost/graphql';
  let body: string | undefined;
  if (method === 'GET') url += `?query=${encodeURIComponent(c.query!)}`;
  else {
    body = c.raw ?? JSON.stringify(c.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const res = await app.yoga.fetch(url, { method, headers, body });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] }, calls: calls() };
}

describe.each([
  [GRAPHQL_RESPONSE, 0],
  [JSON_TYPE, 1],
] as const)('Accept: %s', (accept, column) => {
  it.each(cases.map((c) => ({ ...c, label: c.name })))('$label → $code', async (c) => {
    const res = await send(c, accept);
    expect(res.body.errors?.length, 'an error').toBeGreaterThan(0);
    expect(res.body.errors!.map((e) => e.extensions?.code)).toEqual(res.body.errors!.map(() => c.code));
    expect(res.status).toBe(c.status[column]);
    if (accept === GRAPHQL_RESPONSE && !('data' in res.body)) expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.calls).toBe(0);
  });
});

describe('answers that are not errors', () => {
  it('keeps a dry run 200 under graphql-response+json: it has neither data nor errors, and is what the client asked for', async () => {
    const { gql } = setup();
    const res = await gql('{ user(username: "alice") { username } }', {}, { 'x-dry-run': 'true' });
    expect([res.status, res.data, res.errors]).toEqual([200, undefined, undefined]);
  });

  it('keeps 200 for an answer with data and field errors', async () => {
    const res = await setup().gql('{ user(username: "missing_someone") { username } }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ user: null });
    expect(res.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});
