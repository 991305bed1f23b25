/**
 * Validation of sandbox answers against contract/tiktok-openapi.yml: the response schema of the path's
 * template and status, the content type, and the credit headers (200 and a not_found 404 cost 1, the rest 0).
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { parse } from 'yaml';
import type { Sandbox } from '../src/sandbox/handler.js';

export const spec = parse(readFileSync(new URL('../contract/tiktok-openapi.yml', import.meta.url), 'utf8'));
export const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(spec, 'openapi');

export const BASE = 'https://api.konbiniapi.com';
export const KEY = { authorization: 'Bearer knbn_contract_test' };

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
const TEMPLATES = Object.keys(spec.paths).map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

/** The OpenAPI path template a concrete path answers to. */
export function templateOf(path: string): string {
  const pathname = new URL(path, BASE).pathname;
  const found = TEMPLATES.find(({ pattern }) => pattern.test(pathname));
  if (!found) throw new Error(`no template for ${pathname}`);
  return found.template;
}

export function validatorFor(template: string, status: number) {
  const responses = spec.paths[template].get.responses;
  expect(responses[String(status)], `${template} declares ${status}`).toBeDefined();
  const ref = `openapi#/${pointer('paths', template, 'get', 'responses', String(status), 'content', 'application/json', 'schema')}`;
  return ajv.getSchema(ref)!;
}

export interface Checked {
  status: number;
  /** Checked by the schema first, then read freely. */
  body: any;
  creditsUsed: string | null;
}

/** The body and its schema errors, without asserting anything. */
export async function callRaw(sandbox: Sandbox, path: string, headers: Record<string, string> = KEY) {
  const response = await sandbox.fetch(`${BASE}${path}`, { headers });
  const body = await response.json();
  const validate = validatorFor(templateOf(path), response.status);
  const valid = validate(body) as boolean;
  return { response, body, valid, errors: validate.errors ?? [] };
}

/** Calls `path` and asserts the answer is the contract's, credit headers included. */
export async function checkCall(sandbox: Sandbox, path: string, headers: Record<string, string> = KEY): Promise<Checked> {
  const { response, body, valid, errors } = await callRaw(sandbox, path, headers);
  expect(valid, `${path} → ${response.status}: ${ajv.errorsText(errors)}`).toBe(true);
  expect(response.headers.get('content-type')).toBe('application/json');
  const creditsUsed = response.headers.get('x-credits-used');
  if (response.status !== 401) {
    const billed = response.status === 200 || (response.status === 404 && body.errors[0].code === 'not_found');
    expect(creditsUsed, `${path} → ${response.status}`).toBe(billed ? '1' : '0');
    expect(Number(response.headers.get('x-credits-remaining'))).toBeGreaterThanOrEqual(0);
  }
  return { status: response.status, body, creditsUsed };
}

/** Follows `nextCursor` from the first page of `path` (checking every page) to the end; every item, in order. */
export async function walk(sandbox: Sandbox, path: string, maxPages = 40): Promise<{ items: unknown[]; pages: number }> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  for (let pages = 1; pages <= maxPages; pages++) {
    const separator = path.includes('?') ? '&' : '?';
    const { status, body } = await checkCall(sandbox, cursor ? `${path}${separator}cursor=${cursor}` : path);
    expect(status, path).toBe(200);
    expect(body.data.itemCount).toBe(body.data.orderedItems.length);
    expect(body.data.cursor).toBe(cursor);
    items.push(...body.data.orderedItems);
    cursor = body.data.nextCursor;
    expect(body.data.next === null).toBe(cursor === null);
    if (cursor === null) return { items, pages };
    expect(new URL(body.data.next).searchParams.get('cursor')).toBe(cursor);
  }
  throw new Error(`${path}: more than ${maxPages} pages`);
}
