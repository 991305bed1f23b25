/** Generated files must match what `npm run generate` would write now, and the schema is fully described. */
import { readFileSync } from 'node:fs';
import { isIntrospectionType, isObjectType, isInterfaceType, isScalarType, isSpecifiedScalarType, isEnumType, isInputObjectType, buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { codegenArtifacts, sourceArtifacts } from '../scripts/generated-files.js';

const onDisk = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('generated files are up to date (run `npm run generate` when this fails)', () => {
  it('schema/schema.graphql, schema/subgraph.graphql, the upstream types, descriptors and validators', async () => {
    const files = await sourceArtifacts();
    expect(Object.keys(files)).toHaveLength(5);
    for (const [path, content] of Object.entries(files)) expect(onDisk(path), path).toBe(content);
  });

  it('the typed operations and the persisted-documents manifest', async () => {
    const files = await codegenArtifacts();
    expect(Object.keys(files).sort()).toEqual(['gql.ts', 'graphql.ts', 'index.ts', 'persisted-documents.json'].map((f) => `test/operations/generated/${f}`));
    for (const [path, content] of Object.entries(files)) expect(onDisk(path), path).toBe(content);
  });
});

describe('schema/schema.graphql', () => {
  const schema = buildSchema(onDisk('schema/schema.graphql'));

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('keeps the public contract: Relay Node, connections and exact counts', () => {
    for (const name of ['User', 'Story', 'Audio']) {
      expect(schema.getType(name)!.toJSON()).toBe(name);
      expect((schema.getType(name) as any).getInterfaces().map((i: any) => i.name)).toEqual(['Node']);
    }
    const user = schema.getType('User') as any;
    expect(String(user.getFields().likeCount.type)).toBe('SafeInt');
    expect(String(user.getFields().stories.type)).toBe('StoryConnection');
    const connection = schema.getType('StoryConnection') as any;
    expect(Object.keys(connection.getFields()).sort()).toEqual(['edges', 'nodes', 'pageInfo', 'totalCount']);
    expect(String(connection.getFields().totalCount.type)).toBe('SafeInt');
  });
});

describe('test/operations/generated/graphql.ts', () => {
  const generated = onDisk('test/operations/generated/graphql.ts');
  const schema = buildSchema(onDisk('schema/schema.graphql'));
  const expected: Record<string, string> = { SafeInt: 'number', DateTime: 'string', URL: 'string' };

  it('maps every custom scalar, input and output, to its JSON type (never any or unknown)', () => {
    const custom = Object.values(schema.getTypeMap())
      .filter((type) => isScalarType(type) && !isSpecifiedScalarType(type))
      .map((type) => type.name)
      .sort();
    expect(custom).toEqual(Object.keys(expected).sort());
    const block = /export type Scalars = \{([\s\S]*?)\n\};/.exec(generated)?.[1] ?? '';
    for (const name of custom) {
      const entry = new RegExp(`\\n  ${name}: \\{ input: ([^;]+); output: ([^;]+); \\}`).exec(block);
      expect(entry, name).not.toBeNull();
      expect({ name, input: entry![1], output: entry![2] }).toEqual({ name, input: expected[name], output: expected[name] });
    }
    // Every scalar the results use goes through this map: none of its entries may be `any` or `unknown`.
    expect(block.replace(/\/\*\*.*\*\//g, '')).not.toMatch(/\b(any|unknown)\b/);
  });

  it('uses the mappings in the operations’ result types', () => {
    expect(generated).toMatch(/publishedAt: string, viewCount: number/);
    expect(generated).toMatch(/avatar\?: \{ __typename\?: 'Image', url: string \}/);
  });
});
