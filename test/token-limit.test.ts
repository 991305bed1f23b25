/**
 * The token limit (`MAX_TOKENS`): graphql-js counts the tokens while parsing (every token but the
 * end), and a document over the limit is refused before validation, with the code, message and status
 * GraphQL Armor's plugin gave it; a document at the limit is parsed as any other.
 */
import { describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { codes, setup } from './helpers.js';

const MAX_TOKENS = testConfig().limits.maxTokens;
/** `{ __typename … }` with exactly `n` tokens: the two braces and `n - 2` fields. */
const withTokens = (n: number) => `{ ${'__typename '.repeat(n - 2)}}`;

describe('the token limit', () => {
  it(`parses a document of exactly ${MAX_TOKENS} tokens`, async () => {
    const { gql, calls } = setup();
    // Parsed, then refused by the next check (the same field repeated); never by the token limit.
    const atLimit = await gql(withTokens(MAX_TOKENS));
    expect(atLimit.errors?.map((e) => e.message)).toEqual([expect.stringMatching(/"__typename" is selected \d+ times/)]);
    expect(calls()).toBe(0);
  });

  it('refuses one token more with OPERATION_LIMIT_EXCEEDED (400) and says which limit', async () => {
    const { gql, calls } = setup();
    const over = await gql(withTokens(MAX_TOKENS + 1));
    expect(over.status).toBe(400);
    expect(over.data).toBeUndefined();
    expect(over.errors).toEqual([expect.objectContaining({ message: `Syntax Error: Token limit of ${MAX_TOKENS} exceeded.` })]);
    expect(codes(over)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
    expect(calls()).toBe(0);
  });

  it('leaves other syntax errors as they are', async () => {
    const { gql } = setup();
    const broken = await gql('{ user(username: "alice") { username }');
    expect(broken.status).toBe(400);
    expect(codes(broken)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(broken.errors?.[0]?.message).toMatch(/^Syntax Error: Expected Name, found <EOF>/);
  });
});
