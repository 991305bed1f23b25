/**
 * The sandbox must answer exactly what the OpenAPI file describes: every body it sends is validated
 * against the response schema of its path and status, and the credit headers are checked.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../src/sandbox/handler.js';
import { PERSONAS } from '../src/sandbox/personas.js';
import { SANDBOX_NOW } from './helpers.js';

const spec = parse(readFileSync(new URL('../contract/tiktok-openapi.yml', import.meta.url), 'utf8'));
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(spec, 'openapi');

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

function validatorFor(template: string, status: number) {
  const responses = spec.paths[template].get.responses;
  expect(responses[String(status)], `${template} declares ${status}`).toBeDefined();
  const ref = `openapi#/${pointer('paths', template, 'get', 'responses', String(status), 'content', 'application/json', 'schema')}`;
  return ajv.getSchema(ref)!;
}

const sandbox = createSandbox({ now: () => SANDBOX_NOW });
const KEY = { authorization: 'Bearer knbn_contract_test' };

async function checkCall(template: string, path: string, headers: Record<string, string> = KEY) {
  const response = await sandbox.fetch(`https://api.konbiniapi.com${path}`, { headers });
  const body = await response.json();
  const validate = validatorFor(template, response.status);
  expect(validate(body), `${path} → ${response.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  expect(response.headers.get('content-type')).toBe('application/json');
  if (response.status !== 401) {
    const used = response.headers.get('x-credits-used');
    expect(used).toBe(response.status === 200 || response.status === 404 ? '1' : '0');
    expect(Number(response.headers.get('x-credits-remaining'))).toBeGreaterThanOrEqual(0);
  }
  return { status: response.status, body };
}

const USER = '/v1/tiktok/users/{username}';
const STORIES = '/v1/tiktok/users/{username}/stories';
const AUDIO = '/v1/tiktok/audios/{audioId}';
const ORDINARY = ['khaby.lame', 'alice', 'bob_smith', 'x', 'a.very_long.name_24char', '@MixedCase'];
const FIXED_DATA = Object.keys(PERSONAS).filter((name) => !PERSONAS[name]!.brokenBody && !PERSONAS[name]!.breaksContract && !PERSONAS[name]!.hangs && !PERSONAS[name]!.latencyMs);

describe('sandbox conforms to tiktok-openapi.yml', () => {
  it.each([...ORDINARY, ...FIXED_DATA])('profile of %s', async (username) => {
    const { status } = await checkCall(USER, `/v1/tiktok/users/${encodeURIComponent(username)}`);
    const persona = PERSONAS[username];
    expect(status).toBe(persona?.status ?? 200);
  });

  it.each([...ORDINARY, ...FIXED_DATA])('every stories page of %s, and audio of every story', async (username) => {
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = `count=${page % 2 ? 35 : 7}${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await checkCall(STORIES, `/v1/tiktok/users/${encodeURIComponent(username)}/stories?${query}`);
      if (status !== 200) return;
      for (const story of body.data.orderedItems) {
        if (story.audio?.entityId) await checkCall(AUDIO, `/v1/tiktok/audios/${story.audio.entityId}`);
      }
      cursor = body.data.nextCursor;
      if (!cursor) return;
    }
  });

  it.each([
    [STORIES, '/v1/tiktok/users/alice/stories?count=0', 400],
    [STORIES, '/v1/tiktok/users/alice/stories?count=36', 400],
    [STORIES, '/v1/tiktok/users/alice/stories?cursor=abc', 400],
    [USER, '/v1/tiktok/users/has%20space', 400],
    [AUDIO, '/v1/tiktok/audios/12', 404],
    [AUDIO, '/v1/tiktok/audios/abc', 400],
  ])('%s: %s → %i', async (template, path, expected) => {
    expect((await checkCall(template, path)).status).toBe(expected);
  });

  it.each([
    [{}, 401, 'missing_api_key'],
    [{ authorization: 'Bearer nope' }, 401, 'invalid_api_key'],
    [{ authorization: 'Bearer knbn_disabled' }, 403, 'api_key_disabled'],
    [{ authorization: 'Bearer knbn_expired' }, 403, 'api_key_expired'],
    [{ authorization: 'Bearer knbn_no_credits' }, 402, 'credits_exhausted'],
  ])('account errors: %o → %i %s', async (headers, status, code) => {
    const result = await checkCall(USER, '/v1/tiktok/users/alice', headers as Record<string, string>);
    expect(result.status).toBe(status);
    expect(result.body.errors[0].code).toBe(code);
  });

  it('answers an unknown route with route_not_found, free of charge', async () => {
    const response = await sandbox.fetch('https://api.konbiniapi.com/v1/tiktok/nothing-here', { headers: KEY });
    expect(response.status).toBe(404);
    expect((await response.json()).errors[0].code).toBe('route_not_found');
    expect(response.headers.get('x-credits-used')).toBe('0');
  });

  it('is deterministic: the same question gets the same answer', async () => {
    const again = createSandbox({ now: () => SANDBOX_NOW });
    const path = 'https://api.konbiniapi.com/v1/tiktok/users/alice/stories?count=35';
    const a = await (await sandbox.fetch(path, { headers: KEY })).text();
    const b = await (await again.fetch(path, { headers: KEY })).text();
    expect(a).toBe(b);
  });

  it('serves broken bodies for the bad_* personas (so they do fail the contract)', async () => {
    for (const username of ['bad_json', 'bad_html', 'bad_contract']) {
      const response = await sandbox.fetch(`https://api.konbiniapi.com/v1/tiktok/users/${username}`, { headers: KEY });
      const text = await response.text();
      let valid = false;
      try {
        valid = validatorFor(USER, 200)(JSON.parse(text)) as boolean;
      } catch {
        valid = false;
      }
      expect(valid, username).toBe(false);
    }
  });
});
