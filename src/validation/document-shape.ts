/**
 * A document's shape: the document with its string, integer and float literals replaced by numbered
 * placeholders, a literal's number being that of the first literal of the same kind and value (a block
 * string's placeholder says it is one). Two
 * documents with one shape differ only in those literals, and equal literals in one are equal in the
 * other; every validation rule that reads literals only to compare them (graphql-js's overlapping
 * fields, the @defer/@stream label rules) therefore judges them alike. Names, booleans, enum values,
 * nulls, variables, directives and the structure of list and object literals stay as written, so
 * `@skip(if: true)` and an unknown enum value keep their own shapes.
 */
import { type ASTNode, Kind } from 'graphql';

/** Literal kinds that become placeholders: values a client changes from request to request. */
const LIFTED = new Set<string>([Kind.STRING, Kind.INT, Kind.FLOAT]);

/** The shape of `document` (any AST node), as one string. */
export function documentShape(document: ASTNode): string {
  const literals = new Map<string, number>();
  const out: string[] = [];
  const walk = (node: ASTNode): void => {
    if (LIFTED.has(node.kind)) {
      const literal = node as { kind: string; value: string; block?: boolean };
      // Numbered by kind and value (the @defer/@stream label rule compares values, block or not), written
      // with the block flag (overlapping fields compare printed literals, where a block string differs).
      const identity = `${literal.kind}:${literal.value}`;
      let number = literals.get(identity);
      if (number === undefined) {
        number = literals.size;
        literals.set(identity, number);
      }
      out.push(`${literal.block ? `${literal.kind}(block)` : literal.kind}#${number}`);
      return;
    }
    if (node.kind === Kind.NAME) {
      out.push(node.value);
      return;
    }
    out.push(`(${node.kind}`);
    for (const key in node) {
      if (key === 'kind' || key === 'loc') continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      // Absent and empty read alike to every rule (the parser gives empty lists, hand-built ASTs may omit them).
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      out.push(key);
      if (Array.isArray(value)) {
        out.push('[');
        for (const item of value) walk(item as ASTNode);
        out.push(']');
      } else if (typeof value === 'object' && value !== null) {
        walk(value as ASTNode);
      } else {
        // `operation`, `block` and the like: never client text but names or flags, quoted to stay unambiguous.
        out.push(JSON.stringify(value));
      }
    }
    out.push(')');
  };
  walk(document);
  return out.join(' ');
}
