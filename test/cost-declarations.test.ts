/**
 * Every field declares its upstream cost next to its resolver (src/cost/declarations.ts), itself or
 * through its type, so that a new field cannot be left out of the credit estimate.
 */
import { type GraphQLNamedType, getNamedType, isAbstractType, isIntrospectionType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isStructural } from '../src/cost/estimate.js';
import { schema } from '../src/schema/index.js';

const declared = (extensions: object | null | undefined) => typeof (extensions as { cost?: unknown } | undefined)?.cost === 'function';
const typeDeclaration = (name: string) => {
  const type = schema.getType(name);
  const extensions = (type?.extensions ?? {}) as { complete?: boolean; embeddedCopy?: Set<string> };
  return extensions.complete ? 'complete' : extensions.embeddedCopy ? 'embedded' : isStructural(name) ? 'structural' : undefined;
};
/** Whether objects of a type can cost anything: an abstract type, an embedded copy, or a type with a field that declares a cost. */
const costly = (type: GraphQLNamedType): boolean =>
  isAbstractType(type) ||
  (isObjectType(type) && (typeDeclaration(type.name) === 'embedded' || Object.values(type.getFields()).some((f) => declared(f.extensions))));
const objectTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !isIntrospectionType(t) && !t.name.startsWith('_'));

describe('cost declarations', () => {
  it('every object type is complete, an embedded copy, or a connection structure', () => {
    const roots = [schema.getQueryType()!.name, schema.getSubscriptionType()?.name];
    const undeclared = objectTypes.filter((t) => !roots.includes(t.name) && !typeDeclaration(t.name)).map((t) => t.name);
    expect(undeclared).toEqual([]);
  });

  it('every root field and every field returning costly objects declares its own cost', () => {
    const missing: string[] = [];
    for (const type of objectTypes) {
      // A connection's own fields are the page in hand: the connection field's cost covers them.
      if (!isObjectType(type) || isStructural(type.name)) continue;
      // Root fields, queries and subscriptions (a subscription's cost is one event's), all declare one.
      const isQuery = type === schema.getQueryType() || type === schema.getSubscriptionType();
      for (const field of Object.values(type.getFields())) {
        if (isQuery && field.name === '_service') continue;
        if ((isQuery || costly(getNamedType(field.type))) && !declared(field.extensions)) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('an embedded copy names only fields its type has', () => {
    for (const type of objectTypes) {
      const copy = (type.extensions as { embeddedCopy?: Set<string> }).embeddedCopy;
      if (!copy || !isObjectType(type)) continue;
      const fields = Object.keys(type.getFields());
      expect(
        [...copy].filter((f) => f !== '__typename' && !fields.includes(f)),
        type.name,
      ).toEqual([]);
    }
  });
});
