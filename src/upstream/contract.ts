/**
 * Every 200 body is checked against its operation's response schema (validators compiled from the
 * OpenAPI file by `npm run generate`). A body that breaks the contract is repaired, not thrown away:
 * - a value of the wrong type or format is removed, and its object remembers the property as violated;
 * - a required property that is missing is remembered the same way;
 * - an array item that is not what the contract allows at all (not an object, no `oneOf` branch) is
 *   dropped from its array;
 * - a body with no usable `data` object is refused whole (UPSTREAM_BAD_RESPONSE for every field
 *   that needs it).
 * Fields that read a violated property fail on their own (`violatedProperty`); the rest of the body
 * still answers. The marks are a symbol property on the upstream's own objects, so they live exactly
 * as long as the body (in the cache too).
 */
import { type OperationId, policyOf } from './endpoints.js';
import * as validators from './validators.generated.js';

/** The properties of an upstream object that broke the contract: missing, or removed for being invalid. */
export const VIOLATIONS: unique symbol = Symbol('contract violations');

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: { missingProperty?: string };
}
type Validate = ((body: unknown) => boolean) & { errors?: AjvError[] | null };

const VALIDATORS = validators as unknown as Record<OperationId, Validate>;

export interface CheckedBody {
  /** The body's `data`, repaired; undefined when there is none to answer from. */
  data: unknown;
  /** JSON pointers of what was removed or found missing (empty for a body that keeps the contract). */
  violations: string[];
}

type Json = Record<string | symbol, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** Whether `key` of an upstream object broke the contract (a field reading it cannot answer). */
export function violatedProperty(object: object, key: string): boolean {
  return (object as Json)[VIOLATIONS] instanceof Set && ((object as Json)[VIOLATIONS] as Set<string>).has(key);
}

const decode = (pointer: string) =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));

function at(root: unknown, path: string[]): unknown {
  let value = root;
  for (const part of path) value = isObject(value) ? value[part] : undefined;
  return value;
}

/** The violated properties of an upstream object, if any (to carry them through a serialised copy). */
export function violationsOf(object: object): string[] | undefined {
  const violated = (object as Json)[VIOLATIONS];
  return violated instanceof Set ? [...(violated as Set<string>)] : undefined;
}

/** Marks `key` of an upstream object as having broken the contract. */
export function mark(object: Json, key: string): void {
  let violated = object[VIOLATIONS] as Set<string> | undefined;
  if (!violated) Object.defineProperty(object, VIOLATIONS, { value: (violated = new Set()), enumerable: false });
  violated.add(key);
}

/**
 * The errors to act on: those of a failed `oneOf`/`anyOf` stand for their whole value, so the errors
 * of its branches (each branch's complaints about the same value) are left out.
 */
function decisive(errors: AjvError[]): AjvError[] {
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => !alternatives.some((prefix) => e.schemaPath.startsWith(prefix)));
}

/**
 * The body of a 200 answer to `path`: its JSON, or, for a transcript the upstream sent as bare WebVTT
 * (the contract allows `text/vtt` too), the JSON document it stands for.
 */
export function bodyOf(operation: OperationId, path: string, text: string, contentType: string): unknown {
  const textBody = policyOf(operation).textBody;
  if (textBody && contentType.startsWith(textBody.mediaType)) return textBody.toJson(text, path);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Checks a 200 body of `operation` and repairs what breaks the contract, as the module comment says. */
export function checkBody(operation: OperationId, body: unknown): CheckedBody {
  const validate = VALIDATORS[operation];
  if (validate(body)) return { data: (body as Json).data, violations: [] };
  if (!isObject(body) || !isObject(body.data) || Array.isArray(body.data)) return { data: undefined, violations: ['/data'] };
  const violations: string[] = [];
  const dropped = new Map<unknown[], Set<number>>();
  for (const error of decisive(validate.errors ?? [])) {
    const path = decode(error.instancePath);
    if (error.keyword === 'required') {
      const object = at(body, path);
      const key = error.params.missingProperty!;
      if (path.length === 0) return { data: undefined, violations: [`/${key}`] };
      if (isObject(object)) mark(object, key);
      violations.push(`${error.instancePath}/${key}`);
      continue;
    }
    if (path.length <= 1) return { data: undefined, violations: [error.instancePath || '/'] };
    const parent = at(body, path.slice(0, -1));
    const key = path.at(-1)!;
    if (Array.isArray(parent)) {
      const indices = dropped.get(parent) ?? new Set<number>();
      dropped.set(parent, indices.add(Number(key)));
    } else if (isObject(parent)) {
      delete parent[key];
      mark(parent, key);
    }
    violations.push(error.instancePath);
  }
  for (const [array, indices] of dropped) {
    [...indices].sort((a, b) => b - a).forEach((index) => array.splice(index, 1));
  }
  return { data: body.data, violations: [...new Set(violations)] };
}
