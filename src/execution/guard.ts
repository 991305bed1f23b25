/**
 * Bounds on execution itself, not only on upstream work. Every resolver passes through the guard of
 * its operation, which:
 * - counts the bytes the answer will take as its fields resolve, and refuses to build past
 *   `maxResponseBytes` (RESPONSE_TOO_LARGE): cached data costs no credit, so without this bound one
 *   request could make the server build, hold and serialise hundreds of megabytes;
 * - stops at the operation's deadline (OPERATION_TIMEOUT);
 * - yields to the event loop every few milliseconds, so one large answer built from cached data
 *   never keeps `/healthz` and every other client waiting.
 */
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { CodedError, ErrorCode } from '../errors.js';

/** Longest stretch of resolvers one operation runs before letting the event loop turn. */
const SLICE_MS = 8;
/** Resolvers between two looks at the clock. */
const CHECK_EVERY = 64;

type Thunk = () => void;
type Resolver = GraphQLFieldResolver<unknown, object, object>;

export class ExecutionGuard {
  private bytes = 0;
  private resolved = 0;
  private sliceStart = performance.now();
  /** Resolvers waiting for the next turn of the event loop. */
  private readonly waiting: Thunk[] = [];
  /** The error every further resolver answers with, once the answer is refused or the time is up. */
  failure: CodedError | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly deadlineAt: number,
  ) {}

  /** Runs a resolver, now or on a later turn of the event loop, and counts what it returns. */
  run(resolver: Resolver, parent: unknown, args: object, ctx: object, info: GraphQLResolveInfo): unknown {
    if (this.failure) throw this.failure;
    if (this.waiting.length > 0 || (++this.resolved % CHECK_EVERY === 0 && this.sliceOver())) {
      return new Promise((settle, reject) => {
        this.wait(() => {
          try {
            if (this.failure) throw this.failure;
            settle(this.count(resolver(parent, args, ctx, info), info));
          } catch (error) {
            reject(error);
          }
        });
      });
    }
    return this.count(resolver(parent, args, ctx, info), info);
  }

  private count(result: unknown, info: GraphQLResolveInfo): unknown {
    // A late value only records the overflow: the next resolver fails. (Rejecting here could leave a
    // rejection nobody handles: graphql-js drops sibling promises when a field throws synchronously.)
    if (result instanceof Promise) return result.then((value: unknown) => (this.add(value, info), value));
    if (this.add(result, info)) throw this.failure;
    return result;
  }

  /** Counts a value; true when the answer has just outgrown its bound. */
  private add(value: unknown, info: GraphQLResolveInfo): boolean {
    this.bytes += String(info.path.key).length + 4 + sizeOf(value);
    if (this.bytes <= this.maxBytes || this.failure) return false;
    this.failure = new CodedError(
      ErrorCode.RESPONSE_TOO_LARGE,
      `The answer would exceed ${this.maxBytes} bytes: ask for fewer or smaller pages, or fewer fields.`,
      { maxResponseBytes: this.maxBytes, http: { status: 400 } },
    );
    return true;
  }

  /** Whether this turn of the event loop has run long enough; fails the operation past its deadline. */
  private sliceOver(): boolean {
    if (Date.now() > this.deadlineAt && !this.failure) {
      this.failure = new CodedError(ErrorCode.OPERATION_TIMEOUT, 'The operation ran past its deadline.');
      throw this.failure;
    }
    return performance.now() - this.sliceStart > SLICE_MS;
  }

  private wait(thunk: Thunk): void {
    this.waiting.push(thunk);
    if (this.waiting.length === 1) setImmediate(() => this.resume());
  }

  /** Runs waiting resolvers until the slice is over, then leaves the rest for the next turn. */
  private resume(): void {
    this.sliceStart = performance.now();
    let done = 0;
    while (done < this.waiting.length) {
      this.waiting[done++]!();
      if (performance.now() - this.sliceStart > SLICE_MS) break;
    }
    this.waiting.splice(0, done);
    if (this.waiting.length > 0) setImmediate(() => this.resume());
  }
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
      if (Array.isArray(value)) return value.reduce((sum: number, item: unknown) => sum + (typeof item === 'object' && item !== null ? 1 : sizeOf(item) + 1), 2);
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
