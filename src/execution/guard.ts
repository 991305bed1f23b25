/**
 * Bounds on execution itself, not only on upstream work. Every resolver passes through the guard of
 * its operation, which:
 * - counts the bytes the answer will take as its fields resolve, and stops building it past
 *   `maxResponseBytes` (RESPONSE_TOO_LARGE): cached data costs no credit, so without this bound one
 *   request could make the server build, hold and serialise hundreds of megabytes;
 * - stops at the operation's deadline (OPERATION_TIMEOUT);
 * - lets the event loop turn: once an operation has run for a slice of time (or taken in a few
 *   asynchronous values, whose subtrees graphql-js completes afterwards in one go), the value of each
 *   asynchronous resolver (a page, a profile: what a subtree hangs from) is handed over one turn of the
 *   event loop at a time, so that a large answer built from cached data is completed subtree by subtree
 *   between other clients' requests, rather than in one block of microtasks.
 * Once an answer is refused for its size, nothing of it will be sent: the resolvers graphql-js still
 * calls (it has already scheduled the fields of every object in hand) return the cheapest value their
 * type allows instead of throwing, since an error per field costs far more than the fields did.
 */
import {
  type GraphQLFieldResolver,
  type GraphQLLeafType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
} from 'graphql';
import { CodedError, ErrorCode } from '../errors.js';

/** Resolvers between two looks at the clock. */
const CHECK_EVERY = 64;
/** How long an operation runs before its asynchronous values wait for turns of the event loop... */
const SLICE_MS = 8;
/** ...or how many asynchronous values it takes in at once (their subtrees are completed afterwards). */
const SLICE_VALUES = 16;

type Resolver = GraphQLFieldResolver<unknown, object, object>;

export class ExecutionGuard {
  private bytes = 0;
  private resolved = 0;
  /** Set once the answer is too large: it will not be sent, whatever is resolved after. */
  private refused = false;
  /** The error the operation ends with, once the answer is refused or the time is up. */
  failure: CodedError | undefined;
  private sliceStart = performance.now();
  private valuesInSlice = 0;
  /** Values of asynchronous resolvers waiting for their turn, one per turn of the event loop. */
  private readonly parked: (() => void)[] = [];

  constructor(
    private readonly maxBytes: number,
    private readonly deadlineAt: number,
  ) {}

  /** Runs a resolver and counts what it returns. */
  run(resolver: Resolver, parent: unknown, args: object, ctx: object, info: GraphQLResolveInfo): unknown {
    if (this.refused) return placeholder(info.returnType);
    if (this.failure) throw this.failure;
    if (++this.resolved % CHECK_EVERY === 0 && Date.now() > this.deadlineAt) {
      this.failure = new CodedError(ErrorCode.OPERATION_TIMEOUT, 'The operation ran past its deadline.');
      throw this.failure;
    }
    const result = resolver(parent, args, ctx, info);
    if (result instanceof Promise) return result.then((value: unknown) => this.inTurn(this.count(value, info)));
    return this.count(result, info);
  }

  /** The value now, or on a later turn of the event loop once this operation has had its slice. */
  private inTurn(value: unknown): unknown {
    if (this.refused || (++this.valuesInSlice <= SLICE_VALUES && performance.now() - this.sliceStart <= SLICE_MS)) return value;
    return new Promise((resolve) => {
      this.parked.push(() => resolve(value));
      if (this.parked.length === 1) setImmediate(this.release);
    });
  }

  /** Hands one parked value over (graphql-js completes its subtree in the microtasks that follow). */
  private readonly release = (): void => {
    this.sliceStart = performance.now();
    this.valuesInSlice = 0;
    this.parked.shift()!();
    if (this.parked.length > 0) setImmediate(this.release);
  };

  private count(value: unknown, info: GraphQLResolveInfo): unknown {
    if (this.refused) return placeholder(info.returnType);
    this.bytes += String(info.path.key).length + 4 + sizeOf(value);
    if (this.bytes <= this.maxBytes) return value;
    this.refused = true;
    this.failure = new CodedError(
      ErrorCode.RESPONSE_TOO_LARGE,
      `The answer would exceed ${this.maxBytes} bytes: ask for fewer or smaller pages, or fewer fields.`,
      { maxResponseBytes: this.maxBytes, http: { status: 400 } },
    );
    return placeholder(info.returnType);
  }
}

/** Values a non-null leaf may take as a placeholder, tried in order against the type's `serialize`. */
const BLANKS: unknown[] = ['', 0, false, new Date(0), 'http://localhost/'];
const blanks = new WeakMap<GraphQLLeafType, unknown>();

/** A value the leaf type serialises without complaint: its first enum value, or the first blank it accepts. */
function blankOf(type: GraphQLLeafType): unknown {
  if (blanks.has(type)) return blanks.get(type);
  let blank: unknown = null;
  if (isEnumType(type)) blank = type.getValues()[0]?.value ?? null;
  else {
    for (const candidate of BLANKS) {
      try {
        type.serialize(candidate);
        blank = candidate;
        break;
      } catch {
        // not a value of this scalar: try the next
      }
    }
  }
  blanks.set(type, blank);
  return blank;
}

/** The cheapest value of a type: null, an empty list, an empty object, or a blank leaf. */
function placeholder(type: GraphQLOutputType): unknown {
  if (!isNonNullType(type)) return null;
  if (isListType(type.ofType)) return [];
  if (isLeafType(type.ofType)) return blankOf(type.ofType);
  return {};
}

/** About how many bytes a resolved value adds to the JSON answer (its own part: objects count their fields). */
function sizeOf(value: unknown): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return 12;
    case 'boolean':
      return 5;
    case 'object':
      if (Array.isArray(value))
        return value.reduce((sum: number, item: unknown) => sum + (typeof item === 'object' && item !== null ? 1 : sizeOf(item) + 1), 2);
      if (value instanceof Date || value instanceof URL) return String(value).length + 2;
      return 2;
    default:
      return 8;
  }
}

/** Where an operation's context holds its guard (a property: cheaper than a map on every resolver). */
const GUARD = Symbol('executionGuard');
type Guarded = { [GUARD]?: ExecutionGuard };

/** The guard of the operation whose context is `ctx` (created by its first resolver). */
export function guardOf(ctx: object, create: () => ExecutionGuard): ExecutionGuard {
  return ((ctx as Guarded)[GUARD] ??= create());
}

/** The guard of an operation, if any resolver ran. */
export const existingGuard = (ctx: object) => (ctx as Guarded)[GUARD];
