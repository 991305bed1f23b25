/**
 * How fields declare their upstream cost, next to their resolvers: the estimator (estimate.ts) walks
 * the operation and asks each selected field's declaration, so a field cannot be left out of the
 * estimate (a test checks that every field of the schema declares one, itself or through its type).
 *
 * - A type whose objects may be embedded copies declares `embeddedCopy(fields)`: on a copy, selecting
 *   any other field (one without a cost of its own) costs one load of the full resource per object.
 * - A type whose objects are always complete values declares `complete`: its fields cost nothing.
 * - A field that calls the upstream, or returns objects, declares `cost(fn)`: what it costs per parent
 *   object, its selections included (`children`). Connections use `connectionCost`.
 */
import type { GraphContext } from '../context.js';
import { decodeGlobalID } from '../schema/global-ids.js';
import { checkListLength } from '../schema/inputs.js';
import type { MergedField } from './selections.js';

/** How an object was obtained: loaded whole (or its full resource is in hand), or an embedded copy. */
export type Origin = 'loaded' | 'embedded';

export interface CostScope {
  /** The object's key when the operation names it (a root lookup's username), to check cursors early. */
  key?: string;
  /** A field of the items whose full resource the enclosing list counted once (its owner, the same for every item). */
  ownerField?: string;
  /** The objects are replies to a comment (they have no replies of their own). */
  reply?: boolean;
}

export interface CostInput {
  readonly field: MergedField;
  /** The field's arguments, coerced as execution will. */
  readonly args: Record<string, unknown>;
  /** How the parent object was obtained. */
  readonly origin: Origin;
  readonly scope: CostScope;
  readonly ctx: GraphContext;
  /** Cost of the selections under this field, per object of `typename` (default: the field's type) obtained as `origin`. */
  children(origin: Origin, scope?: CostScope, typename?: string): number;
  /** The fields selected under this field on `typename` (default: the field's type). */
  subfields(typename?: string): readonly MergedField[];
  /** The cost of `selection`'s fields on one object of `typename` obtained as `origin` (an item of a list, say). */
  objectCost(selection: MergedField, typename: string, origin: Origin, scope?: CostScope): number;
  /** The fields `selection` selects on `typename`. */
  subfieldsOf(selection: MergedField, typename: string): readonly MergedField[];
  /** Whether an object of `typename` obtained as an embedded copy needs its full resource for `selection`. */
  needsResource(selection: MergedField, typename: string): boolean;
  /** Runs an argument check: a refusal is recorded (the operation is refused before any call) and `fallback` returned. */
  check<T>(f: () => T, fallback: T): T;
  /** The item selections of a connection field (`nodes` and `edges { node }`). */
  connectionItems(): readonly MergedField[];
}

export type FieldCost = (input: CostInput) => number;

/**
 * Field extensions declaring a cost. `independent`: the field never reads its parent's full resource
 * (a user's stories), so selecting it on an embedded copy loads nothing more.
 */
export const cost = (fn: FieldCost, { independent = false } = {}) => ({ cost: fn, independent });

/** Type extensions: objects that may be embedded copies holding only `fields`. */
export const embeddedCopy = (fields: readonly string[]) => ({ embeddedCopy: new Set(['__typename', ...fields]) });

/** Type extensions: objects that are always complete values in hand. */
export const complete = { complete: true } as const;

/** How `node(id:)` costs a type: per distinct local id, its selections included. */
export type LookupCost = (key: string, input: CostInput) => number;

const nodeCosts = new Map<string, LookupCost>();

/** Declares what `node(id:)` of a `typename` id costs (`key` is the local id; it may throw BAD_USER_INPUT). */
export function declareNodeCost(typename: string, lookup: LookupCost): void {
  nodeCosts.set(typename, lookup);
}

/** Whether a list argument of `length` entries is within MAX_LIST_LENGTH (if not, the refusal is recorded). */
export function withinListLimit(c: CostInput, length: number, name: string): boolean {
  return c.check(() => {
    checkListLength(length, c.ctx.config.maxListLength, name);
    return true;
  }, false);
}

/** The distinct entries of a list argument (by `key`), or none when the list is over the limit (it is refused). */
export function distinctEntries(c: CostInput, name: string, key: (value: string) => string = (v) => v): string[] {
  const list = c.args[name];
  if (!Array.isArray(list)) return [];
  if (!withinListLimit(c, list.length, name)) return [];
  const strings = list.filter((v): v is string => typeof v === 'string');
  return [...new Map(strings.map((v) => [key(v), v])).values()];
}

/** A global id's cost under `node`/`nodes` (0 for an id refused locally). */
export function nodeCost(c: CostInput, globalId: unknown): number {
  if (typeof globalId !== 'string') return 0;
  return c.check(() => {
    const { typename, id } = decodeGlobalID(globalId);
    return nodeCosts.get(typename)?.(id, c) ?? 0;
  }, 0);
}
