/**
 * Validation once per document shape (src/plugins/use-validation-by-shape.ts): a document that differs
 * from a valid one only in its literals runs the literal rules alone, and still gets every error
 * graphql-js would give it.
 */
import { Kind, type ValidationRule, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useValidationByShape } from '../src/plugins/use-validation-by-shape.js';
import { schema } from '../src/schema/index.js';
import { documentShape } from '../src/validation/document-shape.js';
import { setup } from './helpers.js';

const shape = (text: string) => documentShape(parse(text));

describe('a document shape', () => {
  it('is the same for documents that differ only in string, integer and float literals', () => {
    expect(shape('{ user(username: "a") { stories(first: 1) { totalCount } } }')).toBe(shape('{ user(username: "bb") { stories(first: 20) { totalCount } } }'));
  });

  it('keeps which literals are equal, their kinds, and block strings apart', () => {
    const twice = shape('{ a: user(username: "x") { id } b: user(username: "x") { id } }');
    expect(twice).not.toBe(shape('{ a: user(username: "x") { id } b: user(username: "y") { id } }'));
    expect(twice).toBe(shape('{ a: user(username: "z") { id } b: user(username: "z") { id } }'));
    expect(shape('{ user(username: "1") { id } }')).not.toBe(shape('{ user(username: 1) { id } }'));
    expect(shape('{ user(username: 1) { id } }')).not.toBe(shape('{ user(username: 1.5) { id } }'));
    expect(shape('{ user(username: "x") { id } }')).not.toBe(shape('{ user(username: """x""") { id } }'));
    // The same value as a string and as a block string is one literal to the @defer/@stream label rule.
    expect(shape('{ a: user(username: "a") { id } b: user(username: """b""") { id } }')).not.toBe(
      shape('{ a: user(username: "a") { id } b: user(username: """a""") { id } }'),
    );
  });

  it('keeps names, booleans, enum values, nulls, variables and structure as written', () => {
    const pairs = [
      ['{ user(username: "a") { id } }', '{ user(username: "a") { displayName } }'],
      ['{ user(username: "a") { id @skip(if: true) } }', '{ user(username: "a") { id @skip(if: false) } }'],
      ['{ search(query: "a", sort: RELEVANCE) { id } }', '{ search(query: "a", sort: NEWEST) { id } }'],
      ['{ user(username: null) { id } }', '{ user(username: "a") { id } }'],
      ['query($u: String!) { user(username: $u) { id } }', 'query($v: String!) { user(username: $v) { id } }'],
      ['{ users(usernames: ["a"]) { id } }', '{ users(usernames: ["a", "b"]) { id } }'],
      ['{ users(usernames: ["a"]) { id } }', '{ users(usernames: "a") { id } }'],
    ];
    for (const [a, b] of pairs) expect(shape(a!), `${a} / ${b}`).not.toBe(shape(b!));
  });

  it('reads every kind of node: a literal in a variable default or an object field is lifted too', () => {
    const document = parse('query($n: Int = 5) { a: user(username: "x") { ...F } } fragment F on User { id }');
    expect(documentShape(document)).toContain(`${Kind.INT}#`);
    expect(documentShape(document)).not.toContain('"x"');
    expect(shape('{ f(o: { a: 1, b: "s" }) }')).toBe(shape('{ f(o: { a: 2, b: "t" }) }'));
    expect(shape('{ f(o: { a: 1 }) }')).not.toBe(shape('{ f(o: { b: 1 }) }'));
  });
});

/** The plugin's validation function over `validateFn` (what the plugins before it would have set). */
function byShape(validateFn: typeof validate, maxChars?: number) {
  let validation: typeof validate = validateFn;
  const plugin = useValidationByShape(maxChars);
  plugin.onValidate!({ validateFn, setValidationFn: (fn: typeof validate) => (validation = fn) } as never);
  return validation;
}

describe('validation by shape', () => {
  it('validates a shape in full once, then runs the literal rules and the rules it does not know', () => {
    let full = 0;
    let custom = 0;
    const counting: ValidationRule = () => {
      custom += 1;
      return {};
    };
    const validation = byShape((...args) => {
      full += 1;
      return validate(...args);
    });
    const rules = [...specifiedRules, counting];
    for (const name of ['a', 'b', 'c']) expect(validation(schema, parse(`{ user(username: "${name}") { id } }`), rules)).toEqual([]);
    expect(full).toBe(1);
    expect(custom).toBe(3);
  });

  it('still gives the errors of literals that do not fit their type', () => {
    const validation = byShape(validate);
    const document = (first: string) => parse(`{ user(username: "a") { stories(first: ${first}) { totalCount } } }`);
    expect(validation(schema, document('1'), specifiedRules)).toEqual([]);
    const errors = validation(schema, document('99999999999'), specifiedRules);
    expect(errors.map((error) => error.message)).toEqual(validate(schema, document('99999999999'), specifiedRules).map((error) => error.message));
    expect(errors).toHaveLength(1);
  });

  it('keeps invalid shapes out: a conflict between two literals is found after the same fields agreed', () => {
    const validation = byShape(validate);
    expect(validation(schema, parse('{ a: user(username: "x") { id } a: user(username: "x") { id } }'), specifiedRules)).toEqual([]);
    const conflict = parse('{ a: user(username: "x") { id } a: user(username: "y") { id } }');
    expect(validation(schema, conflict, specifiedRules).map((error) => error.message)).toEqual([
      expect.stringContaining('"a" conflict because they have differing arguments'),
    ]);
    // And an invalid document does not make its shape known.
    expect(validation(schema, conflict, specifiedRules)).toHaveLength(1);
  });
});

describe('incremental delivery labels', () => {
  it('are unique across plain and block strings, whatever shape was validated before', async () => {
    const server = setup();
    const labels = (second: string) => `{ hashtag(name: "x") { ... on Hashtag @defer(label: "a") { name } ... on Hashtag @defer(label: ${second}) { id } } }`;
    const first = await server.gql(labels('"""b"""'));
    expect(first.errors).toBeUndefined();
    const duplicate = await server.gql(labels('"""a"""'));
    expect(duplicate.errors?.map((error) => error.message)).toEqual(['Defer/Stream directive label argument must be unique.']);
  });
});

describe('the shapes kept', () => {
  it('are bounded in characters: a client sending ever-new shapes pushes old ones out', () => {
    let full = 0;
    const validation = byShape((...args) => {
      full += 1;
      return validate(...args);
    }, 3_000);
    const fields = ['id', 'displayName', 'followerCount', 'followingCount', 'likeCount', 'mediaCount', 'isVerified', 'bio'];
    const document = (i: number) => parse(`{ user(username: "a") { ${fields.filter((_, bit) => (i >> bit) & 1).join(' ')} } }`);
    for (let i = 1; i <= 200; i++) expect(validation(schema, document(i), specifiedRules)).toEqual([]);
    expect(full).toBe(200);
    validation(schema, document(1), specifiedRules);
    expect(full).toBe(201);
    validation(schema, document(200), specifiedRules);
    expect(full).toBe(201);
  });
});

describe('through the server', () => {
  it('refuses a known shape with a bad literal locally, with the code and no upstream call', async () => {
    const server = setup();
    const ok = await server.gql('{ user(username: "khaby.lame") { stories(first: 2) { totalCount } } }');
    expect(ok.errors).toBeUndefined();
    const before = server.calls();
    const refused = await server.gql('{ user(username: "charli") { stories(first: 4294967296) { totalCount } } }');
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.errors?.[0]?.message).toContain('Int cannot represent non 32-bit signed integer value');
    expect(server.calls()).toBe(before);
  });
});
