/**
 * fast-check arbitraries of query operations, for the credit estimate's property test.
 *
 * The generator reads the schema itself: every object type, interface, union, field, argument and
 * `if:` directive it offers, so a field added later is generated without editing this file. Argument
 * values come from pools that exercise the sandbox (its personas, the audio ids and stories it serves,
 * global ids and cursors of real objects); an argument this file does not know gets a value of its type.
 *
 * An operation is generated as a tree (fields, aliases, inline fragments, named fragments spread one to
 * three times, spreads of earlier fragments, variables with and without defaults, @skip/@include) so
 * that fast-check shrinks it structurally, then printed: the printer names fragments and variables,
 * keeps the document valid (aliases where two fields would not merge, no fragment cycles, no unused
 * variable) and resolves cursors for the user they page.
 *
 * It also builds adversarial documents (fragment chains, nested inline fragments, many aliases or
 * directives) up to the token limit, for the analysis-time checks.
 */
import fc from 'fast-check';
import {
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  DirectiveLocation,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  print,
} from 'graphql';
import { encodeGlobalID } from '../../src/schema/global-ids.js';
import { MISSING_PREFIX, PERSONAS } from '../../src/sandbox/personas.js';

// ---------------------------------------------------------------------------------------------------
// Values the sandbox knows

/** What a first server told us about the sandbox: real cursors, story ids and audio ids. */
export interface SandboxFixtures {
  /** Edge cursors of each owner's stories, by position (cursor i resumes after story i). */
  cursors: Record<string, string[]>;
  /** Global ids of real stories at several depths of their owner's list, and of missing ones. */
  storyIds: string[];
  /** Audio ids of tracks used in stories (the sandbox knows them). */
  audioIds: string[];
  /** Ids of videos the sandbox serves. */
  videoIds: string[];
}

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<{ data?: Record<string, any> | null; errors?: unknown[] }>;

/** Owners whose cursors and stories the generated operations page through. */
export const CURSOR_OWNERS = ['alice', 'bob', 'carol', 'dan.k_1', 'khaby.lame', 'few_stories', 'one_page', 'minimal_user', 'unknown_total'];
const STORY_DEPTHS = [0, 1, 34, 35, 36, 69, 70, 99];

/** Reads cursors, story ids and audio ids from a server over the sandbox (a few credits of a throwaway server). */
export async function sandboxFixtures(gql: Gql): Promise<SandboxFixtures> {
  const cursors: Record<string, string[]> = {};
  const storyIds: string[] = [];
  const audioIds = new Set<string>();
  for (const owner of CURSOR_OWNERS) {
    const res = await gql(`query ($u: String!) { user(username: $u) { stories(first: 100) { edges { cursor node { id audio { audioId } } } } } }`, {
      u: owner,
    });
    const edges = (res.data?.user?.stories?.edges ?? []) as { cursor: string; node: { id: string; audio: { audioId: string } | null } }[];
    if (edges.length === 0) throw new Error(`The sandbox served no stories for ${owner}: ${JSON.stringify(res.errors)}`);
    cursors[owner] = edges.map((e) => e.cursor);
    for (const depth of STORY_DEPTHS) if (edges[depth]) storyIds.push(edges[depth]!.node.id);
    for (const e of edges) if (e.node.audio) audioIds.add(e.node.audio.audioId);
  }
  const videoIds: string[] = [];
  for (const owner of ['khaby.lame', 'alice', 'viral', 'busy_comments']) {
    const res = await gql(`query ($u: String!) { user(username: $u) { videos(first: 4) { nodes { videoId } } } }`, { u: owner });
    videoIds.push(...((res.data?.user?.videos?.nodes ?? []) as { videoId: string }[]).map((v) => v.videoId));
  }
  if (videoIds.length === 0) throw new Error('The sandbox served no videos');
  // A story that never existed: node(id:) scans its owner's pages and answers NOT_FOUND.
  storyIds.push(encodeGlobalID('Story', 'alice:1234567890'), encodeGlobalID('Story', 'nobody:1'));
  return { cursors, storyIds, audioIds: [...audioIds], videoIds };
}

/** Usernames by what the sandbox does with them (personas from src/sandbox/personas.ts). */
const personaNames = (keep: (p: (typeof PERSONAS)[string]) => boolean) =>
  Object.entries(PERSONAS)
    .filter(([, p]) => keep(p))
    .map(([name]) => name);
const ORDINARY = ['alice', 'bob', 'khaby.lame', 'carol', 'dan.k_1'];
const CASE_VARIANTS = ['@alice', 'ALICE', '@Khaby.Lame', 'Bob', '@BOB', 'Few_Stories'];
/** Personas that make a call wait (latency, no answer, a body that never ends): left out, they only cost time. */
const waits = (p: (typeof PERSONAS)[string]) => Boolean(p.latencyMs || p.hangs || p.brokenBody === 'stalled');
/** Answering personas with a shape of their own: no stories, 3, 35, minimal bodies, unknown totals. */
const SHAPED = personaNames((p) => !p.status && !p.brokenBody && !waits(p)).filter((n) => n !== 'khaby.lame');
/** Billed 404s. */
const MISSING = [...personaNames((p) => p.status === 404), `${MISSING_PREFIX}one`, `${MISSING_PREFIX}two`];
/** Refunded failures (400, 5xx) and broken bodies (some billed). */
const FAILING = personaNames((p) => ((p.status !== undefined && p.status !== 404) || p.brokenBody !== undefined) && !waits(p));
/** Refused locally with BAD_USER_INPUT. */
const INVALID_USERNAMES = ['bad name', '', 'x'.repeat(25), '@', 'émile'];

/** Mostly users that answer, so that most operations run; failures and refusals now and then. */
const username = fc.oneof(
  { weight: 28, arbitrary: fc.constantFrom(...ORDINARY) },
  { weight: 4, arbitrary: fc.constantFrom(...CASE_VARIANTS) },
  { weight: 20, arbitrary: fc.constantFrom(...SHAPED) },
  { weight: 3, arbitrary: fc.constantFrom(...MISSING) },
  { weight: 1, arbitrary: fc.constantFrom(...FAILING) },
  { weight: 1, arbitrary: fc.constantFrom(...INVALID_USERNAMES) },
);

/** Probability (in percent) that an optional argument is given, and its values. */
interface ArgumentPool {
  presence: number;
  value: fc.Arbitrary<unknown>;
}

/** A cursor of `owner`'s stories, or of the user the field pages when the printer knows them. */
export class CursorRef {
  constructor(
    readonly owner: string,
    readonly index: number,
  ) {}
}

/** `after` values: mostly real cursors (page boundaries and anywhere), rarely a forged one. */
const cursor = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .record({ owner: fc.constantFrom(...CURSOR_OWNERS), index: fc.oneof(fc.constantFrom(0, 9, 33, 34, 35, 36, 68, 69, 70), fc.nat(99)) })
      .map(({ owner, index }) => new CursorRef(owner, index)),
  },
  { weight: 1, arbitrary: fc.constantFrom('forged', 'eyJhIjoxfQ.c2lnbmF0dXJl') },
);

/** `first`: small pages mostly, page boundaries (35, 70), up to 100, and rarely out of range. */
const first = fc.oneof(
  { weight: 60, arbitrary: fc.integer({ min: 1, max: 5 }) },
  { weight: 12, arbitrary: fc.integer({ min: 6, max: 40 }) },
  { weight: 6, arbitrary: fc.constantFrom(34, 35, 36, 69, 70, 71, 100) },
  { weight: 3, arbitrary: fc.integer({ min: 41, max: 100 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 101, -1) },
);

/** A list with duplicates from a small pool; rarely longer than MAX_LIST_LENGTH (50), or exactly 50. */
const list = <T>(item: fc.Arbitrary<T>) =>
  fc.oneof(
    { withCrossShrink: true },
    { weight: 30, arbitrary: fc.array(item, { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.array(item, { minLength: 50, maxLength: 50 }) },
    { weight: 1, arbitrary: fc.array(item, { minLength: 51, maxLength: 51 }) },
  );

/** The values every argument gets: by argument name where the sandbox gives it meaning, else by type. */
export class ArgumentValues {
  private readonly byName: Record<string, ArgumentPool>;

  constructor(fixtures: SandboxFixtures) {
    const audioId = fc.oneof(
      { weight: 36, arbitrary: fc.constantFrom(...fixtures.audioIds) },
      // Any 19-digit id is a track the sandbox knows; shorter ones are billed 404s.
      { weight: 2, arbitrary: fc.constantFrom('7000000000000000042', '6999999999999999999') },
      { weight: 2, arbitrary: fc.constantFrom('12345', '1') },
      { weight: 1, arbitrary: fc.constantFrom('abc', '') },
    );
    const globalId = fc.oneof(
      { weight: 20, arbitrary: username.map((u) => encodeGlobalID('User', u)) },
      { weight: 8, arbitrary: fc.constantFrom(...fixtures.storyIds) },
      { weight: 5, arbitrary: audioId.map((a) => encodeGlobalID('Audio', a)) },
      { weight: 1, arbitrary: fc.constantFrom('nonsense', encodeGlobalID('Media', 'x'), encodeGlobalID('Story', 'alice')) },
    );
    const representation = fc.oneof(
      { weight: 8, arbitrary: username.map((u) => ({ __typename: 'User', username: u })) },
      { weight: 5, arbitrary: audioId.map((a) => ({ __typename: 'Audio', audioId: a })) },
      // Representations no gateway should send (a type that is no entity, a missing or mistyped key).
      { weight: 1, arbitrary: fc.constantFrom({ __typename: 'Story', storyId: '1' }, { __typename: 'User' }, { __typename: 'Audio', audioId: 7 }) },
    );
    const videoId = fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...fixtures.videoIds) },
      { weight: 2, arbitrary: fc.constantFrom('7999999999999999999', '42') },
      { weight: 1, arbitrary: fc.constantFrom('12ab', '') },
    );
    const hashtag = fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom('dance', '#Recipe', 'fyp', 'comedy') },
      { weight: 1, arbitrary: fc.constantFrom('missing_tag', 'a b', '') },
    );
    const query = fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom('dance', 'khaby', '  morning   routine ', 'mixed') },
      { weight: 1, arbitrary: fc.constantFrom('', ' ') },
    );
    this.byName = {
      username: { presence: 100, value: username },
      videoId: { presence: 100, value: videoId },
      videoIds: { presence: 100, value: list(videoId) },
      name: { presence: 100, value: hashtag },
      query: { presence: 100, value: query },
      usernames: { presence: 100, value: list(username) },
      audioId: { presence: 100, value: audioId },
      id: { presence: 100, value: globalId },
      ids: { presence: 100, value: list(globalId) },
      representations: { presence: 100, value: list(representation) },
      first: { presence: 75, value: first },
      after: { presence: 12, value: cursor },
      // Refused (the upstream pages forward only): rare, or most operations would be refused.
      last: { presence: 2, value: fc.integer({ min: 1, max: 5 }) },
      before: { presence: 2, value: cursor },
    };
  }

  forArgument(arg: GraphQLArgument): ArgumentPool {
    return this.byName[arg.name] ?? { presence: 50, value: this.ofType(arg.type) };
  }

  /** A value of an input type this file knows nothing about. */
  private ofType(type: GraphQLInputType): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return this.ofType(type.ofType);
    if (isListType(type)) return fc.array(this.ofType(type.ofType), { maxLength: 4 });
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      return fc.record(Object.fromEntries(fields.map((f) => [f.name, this.ofType(f.type)])));
    }
    switch (type.name) {
      case 'Int':
        return fc.integer({ min: 0, max: 100 });
      case 'Float':
        return fc.double({ min: 0, max: 100, noNaN: true });
      case 'Boolean':
        return fc.boolean();
      case 'ID':
        return this.forArgument({ name: 'id' } as GraphQLArgument).value;
      default:
        return fc.oneof(username, fc.constantFrom(...CURSOR_OWNERS), fc.string({ maxLength: 8 }));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The operation tree

type ArgumentMode = 'literal' | 'variable' | 'default' | 'overridden' | 'omitted';

/** An argument (or directive condition): a literal, or a variable with or without a default value. */
export interface ArgumentValue {
  mode: ArgumentMode;
  /** Two variables per argument name, so that several fields may share one or not. */
  slot: number;
  value: unknown;
  /** The value sent for a variable whose default is `value` (mode `overridden`). */
  override: unknown;
}

export interface DirectiveUse {
  name: string;
  condition: ArgumentValue;
}

export type Selection =
  | {
      kind: 'field';
      name: string;
      alias: boolean;
      /** One entry per argument of the field's definition, null when not given. */
      args: (ArgumentValue | null)[];
      directives: DirectiveUse[];
      selections: Selection[] | undefined;
    }
  | { kind: 'inline'; on: string | null; directives: DirectiveUse[]; selections: Selection[] }
  /** A named fragment, defined here and spread once per entry of `spreads` (each with its directives). */
  | { kind: 'fragment'; on: string; spreads: DirectiveUse[][]; selections: Selection[] }
  /** A spread of a fragment defined earlier in the document (the `ref`-th that fits), if any. */
  | { kind: 'spread'; ref: number; directives: DirectiveUse[] };

export interface OperationTree {
  name: string | null;
  selections: Selection[];
}

export interface GeneratorOptions {
  /** Levels of nested object fields (the server's depth limit is 12). */
  depth: number;
  /** Most selections in one selection set (root: `rootWidth`). */
  width: number;
  rootWidth: number;
}

const DEFAULT_OPTIONS: GeneratorOptions = { depth: 9, width: 4, rootWidth: 3 };

/** True with `percent` % probability; shrinks to false. */
const chance = (percent: number) => fc.integer({ min: 0, max: 99 }).map((n) => n >= 100 - percent);

const fieldsOf = (type: GraphQLCompositeType): GraphQLField<unknown, unknown>[] =>
  isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];

/** Types whose selections can cost credits: they reach a field with arguments or a Node. */
function costlyTypes(schema: GraphQLSchema): Set<string> {
  const costly = new Set<string>();
  const composite = Object.values(schema.getTypeMap()).filter((t): t is GraphQLCompositeType => isCompositeType(t) && !t.name.startsWith('__'));
  for (const t of composite) if (isObjectType(t) && t.getInterfaces().length > 0) costly.add(t.name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of composite) {
      if (costly.has(t.name)) continue;
      const reaches =
        (isAbstractType(t) && schema.getPossibleTypes(t).some((p) => costly.has(p.name))) ||
        fieldsOf(t).some((f) => f.args.length > 0 || costly.has(getNamedType(f.type).name));
      if (reaches) {
        costly.add(t.name);
        changed = true;
      }
    }
  }
  return costly;
}

/** Builds the tree arbitraries from the schema, one per (type, remaining depth), memoised. */
class TreeArbitraries {
  private readonly memo = new Map<string, fc.Arbitrary<Selection[]>>();
  private readonly costly: Set<string>;
  private readonly directiveNames: string[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly values: ArgumentValues,
    private readonly options: GeneratorOptions,
  ) {
    this.costly = costlyTypes(schema);
    const locations = [DirectiveLocation.FIELD, DirectiveLocation.INLINE_FRAGMENT, DirectiveLocation.FRAGMENT_SPREAD];
    this.directiveNames = schema
      .getDirectives()
      .filter((d) => d.args.length === 1 && d.args[0]!.name === 'if' && locations.every((l) => d.locations.includes(l)))
      .map((d) => d.name);
  }

  root(): fc.Arbitrary<Selection[]> {
    return this.selections(this.schema.getQueryType()!, this.options.depth, this.options.rootWidth);
  }

  private argument(arg: GraphQLArgument): fc.Arbitrary<ArgumentValue | null> {
    const { presence, value } = this.values.forArgument(arg);
    const nullable = !isNonNullType(arg.type);
    const mode = fc.oneof(
      { weight: 12, arbitrary: fc.constant<ArgumentMode>('literal') },
      { weight: 5, arbitrary: fc.constant<ArgumentMode>('variable') },
      { weight: 2, arbitrary: fc.constant<ArgumentMode>('default') },
      { weight: 1, arbitrary: fc.constant<ArgumentMode>('overridden') },
      { weight: nullable ? 1 : 0, arbitrary: fc.constant<ArgumentMode>('omitted') },
    );
    const given = fc.record({ mode, slot: fc.integer({ min: 0, max: 1 }), value, override: value });
    if (!nullable || arg.defaultValue !== undefined || presence >= 100) return given;
    return fc.oneof({ weight: 100 - presence, arbitrary: fc.constant(null) }, { weight: presence, arbitrary: given });
  }

  private directives(): fc.Arbitrary<DirectiveUse[]> {
    if (this.directiveNames.length === 0) return fc.constant<DirectiveUse[]>([]);
    const condition = this.argument({ name: 'if', type: this.schema.getDirective('skip')!.args[0]!.type } as GraphQLArgument);
    const use = fc.record({ name: fc.constantFrom(...this.directiveNames), condition }) as fc.Arbitrary<DirectiveUse>;
    // @skip and @include are not repeatable: at most one of each on a selection.
    const uses = fc.uniqueArray(use, { minLength: 1, maxLength: this.directiveNames.length, selector: (u) => u.name });
    return fc.oneof({ weight: 24, arbitrary: fc.constant<DirectiveUse[]>([]) }, { weight: 1, arbitrary: uses });
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<Selection> {
    const named = getNamedType(field.type);
    return fc.record({
      kind: fc.constant('field' as const),
      name: fc.constant(field.name),
      alias: chance(field.args.length > 0 ? 25 : 4),
      args: field.args.length > 0 ? fc.tuple(...field.args.map((a) => this.argument(a))) : fc.constant([]),
      directives: this.directives(),
      selections: isCompositeType(named) ? this.selections(named, depth - 1) : fc.constant(undefined),
    });
  }

  /** Where a fragment inside a selection on `type` may point: the type, its interfaces, its possible types. */
  private conditions(type: GraphQLCompositeType): GraphQLCompositeType[] {
    if (isObjectType(type)) return [type, ...type.getInterfaces()];
    return [...this.schema.getPossibleTypes(type), type];
  }

  private inline(type: GraphQLCompositeType, depth: number): fc.Arbitrary<Selection> {
    const next = isAbstractType(type) ? depth : depth - 1;
    const on = this.conditions(type).map((c, i) => ({
      weight: i === 0 || isAbstractType(type) ? 3 : 1,
      arbitrary: fc.record({
        kind: fc.constant('inline' as const),
        on: c === type ? fc.constantFrom<string | null>(c.name, null) : fc.constant<string | null>(c.name),
        directives: this.directives(),
        selections: this.selections(c, c === type ? depth - 1 : next),
      }),
    }));
    return fc.oneof(...on);
  }

  private fragment(type: GraphQLCompositeType, depth: number): fc.Arbitrary<Selection> {
    const next = isAbstractType(type) ? depth : depth - 1;
    const on = this.conditions(type).map((c, i) => ({
      weight: i === 0 || isAbstractType(type) ? 3 : 1,
      arbitrary: fc.record({
        kind: fc.constant('fragment' as const),
        on: fc.constant(c.name),
        spreads: fc.array(this.directives(), { minLength: 1, maxLength: 3 }),
        selections: this.selections(c, c === type ? depth - 1 : next),
      }),
    }));
    return fc.oneof(...on);
  }

  selections(type: GraphQLCompositeType, depth: number, width = this.options.width): fc.Arbitrary<Selection[]> {
    const key = `${type.name}:${depth}:${width}`;
    const known = this.memo.get(key);
    if (known) return known;
    const typename: fc.Arbitrary<Selection> = fc.record({
      kind: fc.constant('field' as const),
      name: fc.constant('__typename'),
      alias: fc.constant(false),
      args: fc.constant<(ArgumentValue | null)[]>([]),
      directives: this.directives(),
      selections: fc.constant(undefined),
    });
    const fields = fieldsOf(type);
    const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
    const composites = depth > 0 ? fields.filter((f) => !isLeafType(getNamedType(f.type))) : [];
    const choices: fc.WeightedArbitrary<Selection>[] = [
      { weight: leaves.length > 0 ? 12 : 1, arbitrary: fc.oneof(typename, ...leaves.map((f) => this.field(f, depth))) },
    ];
    if (composites.length > 0) {
      const weighted = composites.map((f) => ({ weight: this.costly.has(getNamedType(f.type).name) ? 4 : 1, arbitrary: this.field(f, depth) }));
      choices.push({ weight: isAbstractType(type) ? 2 : 8, arbitrary: fc.oneof(...weighted) });
    }
    // An abstract type is read through fragments on its possible types (at the same depth: they add none).
    if (depth > 0 || (isAbstractType(type) && depth === 0)) {
      choices.push({ weight: isAbstractType(type) ? 8 : 1, arbitrary: this.inline(type, depth) });
      choices.push({ weight: isAbstractType(type) ? 3 : 1, arbitrary: this.fragment(type, depth) });
    }
    choices.push({ weight: 1, arbitrary: fc.record({ kind: fc.constant('spread' as const), ref: fc.nat(7), directives: this.directives() }) });
    const arbitrary = fc.array(fc.oneof(...choices), { minLength: 1, maxLength: width });
    this.memo.set(key, arbitrary);
    return arbitrary;
  }
}

// ---------------------------------------------------------------------------------------------------
// Printing

/** A generated operation: its document, and the variables sent with it. */
export class GeneratedOperation {
  constructor(
    readonly document: string,
    readonly variables: Record<string, unknown>,
  ) {}

  /** How fast-check prints a counterexample: the document itself, then its variables. */
  [fc.toStringMethod](): string {
    return `\n${this.document}\nvariables: ${JSON.stringify(this.variables)}\n`;
  }

  toString(): string {
    return this[fc.toStringMethod]();
  }
}

interface VariableDefinition {
  name: string;
  type: string;
  /** The default value's literal, if any. */
  defaultValue?: string;
  /** The value sent, when one is sent. */
  value?: unknown;
  /** What the operation sees: the value sent, else the default, else null. */
  effective: unknown;
}

/** Where the user an object belongs to is known: the cursors of their stories are the right ones. */
type Owner = string | undefined;

const normalize = (name: unknown) => (typeof name === 'string' ? name.replace(/^@/, '').toLowerCase() : undefined);

function decodedOwner(globalId: unknown): Owner {
  if (typeof globalId !== 'string') return undefined;
  const [typename, local] = Buffer.from(globalId, 'base64url').toString().split(/:(.*)/s);
  if (typename === 'User') return normalize(local);
  if (typename === 'Story') return normalize(local?.split(':')[0]);
  return undefined;
}

/** The owner of the objects under a field: from its arguments at the root, cleared by tracks, else inherited. */
function ownerUnder(field: string, args: Record<string, unknown>, owner: Owner): Owner {
  const firstOf = (v: unknown) => (Array.isArray(v) ? v[0] : undefined);
  if ('username' in args) return normalize(args.username);
  if ('usernames' in args) return normalize(firstOf(args.usernames));
  if ('id' in args) return decodedOwner(args.id);
  if ('ids' in args) return decodedOwner(firstOf(args.ids));
  if ('representations' in args) return normalize((firstOf(args.representations) as { username?: unknown } | undefined)?.username);
  if (field === 'audio' || field === 'authors') return undefined;
  return owner;
}

/** Prints a tree as a valid document with its variables. */
class OperationPrinter {
  private readonly fragments: { name: string; on: GraphQLCompositeType; body?: string }[] = [];
  private readonly variables = new Map<string, VariableDefinition>();
  /** The first unaliased use of each field name: later ones take its arguments, or get an alias. */
  private readonly canonical = new Map<string, { type: string; signature: string; args: string; values: Record<string, unknown> }>();
  private aliases = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fixtures: SandboxFixtures,
  ) {}

  print(tree: OperationTree): GeneratedOperation {
    const body = this.selectionSet(tree.selections, this.schema.getQueryType()!, undefined);
    const definitions = [...this.variables.values()].map((v) => `$${v.name}: ${v.type}${v.defaultValue !== undefined ? ` = ${v.defaultValue}` : ''}`);
    const header = `query${tree.name ? ` ${tree.name}` : ''}${definitions.length > 0 ? `(${definitions.join(', ')})` : ''}`;
    const fragments = this.fragments.map((f) => `fragment ${f.name} on ${f.on.name} ${f.body}`);
    const text = [`${header} ${body}`, ...fragments].join('\n');
    let document: string;
    try {
      document = print(parse(text));
    } catch (error) {
      throw new Error(`The generator printed a document that does not parse (${(error as Error).message}):\n${text}`);
    }
    const variables = Object.fromEntries([...this.variables.values()].filter((v) => 'value' in v).map((v) => [v.name, v.value]));
    return new GeneratedOperation(document, variables);
  }

  private resolve(value: unknown, owner: Owner): unknown {
    if (value instanceof CursorRef) {
      const cursors = (owner && this.fixtures.cursors[owner]) || this.fixtures.cursors[value.owner]!;
      return cursors[value.index % cursors.length];
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, owner));
    return value;
  }

  private literal(value: unknown, type?: GraphQLInputType): string {
    const inner = type && isNonNullType(type) ? type.ofType : type;
    if (Array.isArray(value)) return `[${value.map((v) => this.literal(v, inner && isListType(inner) ? inner.ofType : undefined)).join(', ')}]`;
    // An enum value is written by its name, unquoted.
    if (inner && isEnumType(inner) && typeof value === 'string') return value;
    if (value !== null && typeof value === 'object') {
      return `{${Object.entries(value)
        .map(([k, v]) => `${k}: ${this.literal(v)}`)
        .join(', ')}}`;
    }
    if (typeof value === 'string') return JSON.stringify(value);
    return String(value);
  }

  /** An argument's text and the value the operation sees; new variables go to `pending`. */
  private argument(name: string, type: GraphQLInputType, given: ArgumentValue, owner: Owner, pending: VariableDefinition[]) {
    const value = this.resolve(given.value, owner);
    if (given.mode === 'literal') return { text: this.literal(value, type), effective: value };
    const typeName = String(type);
    let variable = `${name}${given.slot}`;
    let known = this.variables.get(variable) ?? pending.find((v) => v.name === variable);
    if (known && known.type !== typeName) {
      variable = `${variable}_${typeName.replace(/\W/g, '')}`;
      known = this.variables.get(variable) ?? pending.find((v) => v.name === variable);
    }
    if (known) return { text: `$${variable}`, effective: known.effective };
    const definition: VariableDefinition = { name: variable, type: typeName, effective: null };
    const mode = given.mode === 'omitted' && isNonNullType(type) ? 'variable' : given.mode;
    if (mode === 'variable') Object.assign(definition, { value, effective: value });
    if (mode === 'default') Object.assign(definition, { defaultValue: this.literal(value, type), effective: value });
    if (mode === 'overridden') {
      const override = this.resolve(given.override, owner);
      Object.assign(definition, { defaultValue: this.literal(value, type), value: override, effective: override });
    }
    pending.push(definition);
    return { text: `$${variable}`, effective: definition.effective };
  }

  private directives(uses: DirectiveUse[], owner: Owner): string {
    return uses
      .map((use) => {
        const pending: VariableDefinition[] = [];
        const type = this.schema.getDirective(use.name)!.args[0]!.type;
        const { text } = this.argument(use.name, type, use.condition, owner, pending);
        for (const v of pending) this.variables.set(v.name, v);
        return ` @${use.name}(if: ${text})`;
      })
      .join('');
  }

  private field(selection: Extract<Selection, { kind: 'field' }>, parent: GraphQLCompositeType, owner: Owner): string {
    if (selection.name === '__typename') return `__typename${this.directives(selection.directives, owner)}`;
    const definition = fieldsOf(parent).find((f) => f.name === selection.name);
    if (!definition) return '';
    const pending: VariableDefinition[] = [];
    const texts: string[] = [];
    let values: Record<string, unknown> = {};
    definition.args.forEach((arg, i) => {
      const given = selection.args[i];
      if (!given) return;
      const { text, effective } = this.argument(arg.name, arg.type, given, owner, pending);
      texts.push(`${arg.name}: ${text}`);
      values[arg.name] = effective;
    });
    let args = texts.length > 0 ? `(${texts.join(', ')})` : '';
    let aliased = selection.alias;
    if (!aliased) {
      // Two fields with one response name must merge: same arguments, same type. The first use decides.
      const type = String(definition.type);
      const signature = definition.args.map((a) => `${a.name}: ${a.type}`).join(', ');
      const first = this.canonical.get(selection.name);
      if (!first) this.canonical.set(selection.name, { type, signature, args, values });
      else if (first.type === type && first.signature === signature) {
        ({ args, values } = first);
        pending.length = 0;
      } else aliased = true;
    }
    for (const v of pending) this.variables.set(v.name, v);
    const alias = aliased ? `a${++this.aliases}: ` : '';
    const named = getNamedType(definition.type);
    const sub = isCompositeType(named) ? ` ${this.selectionSet(selection.selections ?? [], named, ownerUnder(selection.name, values, owner))}` : '';
    return `${alias}${selection.name}${args}${this.directives(selection.directives, owner)}${sub}`;
  }

  private possible(type: GraphQLCompositeType): readonly GraphQLObjectType[] {
    return isAbstractType(type) ? this.schema.getPossibleTypes(type) : [type];
  }

  private overlaps(a: GraphQLCompositeType, b: GraphQLCompositeType): boolean {
    const names = new Set(this.possible(a).map((t) => t.name));
    return this.possible(b).some((t) => names.has(t.name));
  }

  private selection(selection: Selection, parent: GraphQLCompositeType, owner: Owner): string {
    switch (selection.kind) {
      case 'field':
        return this.field(selection, parent, owner);
      case 'inline': {
        const on = selection.on ? (this.schema.getType(selection.on) as GraphQLCompositeType) : parent;
        return `...${selection.on ? ` on ${selection.on}` : ''}${this.directives(selection.directives, owner)} ${this.selectionSet(selection.selections, on, owner)}`;
      }
      case 'fragment': {
        const on = this.schema.getType(selection.on) as GraphQLCompositeType;
        const fragment: { name: string; on: GraphQLCompositeType; body?: string } = { name: `F${this.fragments.length}`, on };
        this.fragments.push(fragment);
        // Only finished fragments can be spread: no fragment reaches itself.
        fragment.body = this.selectionSet(selection.selections, on, owner);
        return selection.spreads.map((d) => `...${fragment.name}${this.directives(d, owner)}`).join(' ');
      }
      case 'spread': {
        const fits = this.fragments.filter((f) => f.body !== undefined && this.overlaps(f.on, parent));
        const fragment = fits[selection.ref % Math.max(1, fits.length)];
        return fragment ? `...${fragment.name}${this.directives(selection.directives, owner)}` : '';
      }
    }
  }

  private selectionSet(selections: Selection[], type: GraphQLCompositeType, owner: Owner): string {
    const printed = selections.map((s) => this.selection(s, type, owner)).filter((s) => s !== '');
    return `{ ${printed.length > 0 ? printed.join(' ') : '__typename'} }`;
  }
}

/** Random query operations over the whole of `schema`, with values from the sandbox. */
export function operationArbitrary(
  schema: GraphQLSchema,
  fixtures: SandboxFixtures,
  options: Partial<GeneratorOptions> = {},
): fc.Arbitrary<GeneratedOperation> {
  const trees = new TreeArbitraries(schema, new ArgumentValues(fixtures), { ...DEFAULT_OPTIONS, ...options });
  return fc
    .record({ name: fc.option(fc.constant('Generated'), { nil: null }), selections: trees.root() })
    .map((tree) => new OperationPrinter(schema, fixtures).print(tree));
}

// ---------------------------------------------------------------------------------------------------
// Adversarial documents

/** Tokens of a document as the server counts them (comments are not tokens). */
export function countTokens(document: string): number {
  const lexer = new Lexer(new Source(document));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens++;
  return tokens;
}

/** Where a chain of fragments is spread, and the type its fragments are on. */
export type ChainRoot = 'user' | 'query' | 'node' | 'entities' | 'stories' | 'artists' | 'aliases';

export interface AdversarialShape {
  family: 'chain' | 'nested-inline' | 'wide';
  root: ChainRoot;
  /** How many times each level spreads the next (chains). */
  fanOut: number;
  /** How a level reaches the next: spreads, inline fragments around spreads, or intermediate fragments. */
  via: 'spread' | 'inline' | 'diamond';
  /** What else each level selects. */
  levelField: 'none' | 'field' | 'alias' | 'connection';
  /** A directive on every spread or field. */
  directive: 'none' | 'include' | 'skip-variable';
  /** What the last fragment selects. */
  leaf: 'profile' | 'stories' | 'artists';
}

const CHAIN_TYPE: Record<ChainRoot, string> = {
  user: 'User',
  query: 'Query',
  node: 'User',
  entities: 'User',
  stories: 'Story',
  artists: 'User',
  aliases: 'User',
};

/** Builds the document of `shape` with `n` levels (fragments, nesting or repetitions). */
export function adversarialDocument(shape: AdversarialShape, n: number, audioId = '7000000000000000042'): string {
  const type = shape.family === 'chain' ? CHAIN_TYPE[shape.root] : 'User';
  const directive = shape.directive === 'include' ? ' @include(if: true)' : shape.directive === 'skip-variable' ? ' @skip(if: $no)' : '';
  const header = shape.directive === 'skip-variable' ? 'query Adversarial($no: Boolean = false)' : 'query Adversarial';
  const scalar: Record<string, string> = { User: 'displayName', Query: '__typename', Story: 'caption' };
  const leaf = (t: string) => {
    if (t === 'Query') return 'user(username: "alice") { displayName stories(first: 2) { nodes { author { followerCount } } } }';
    if (t === 'Story') return shape.leaf === 'profile' ? 'author { followerCount }' : 'author { followerCount } audio { album authors { displayName } }';
    if (shape.leaf === 'profile') return 'displayName followerCount';
    if (shape.leaf === 'stories') return 'stories(first: 2) { nodes { author { displayName } audio { title } } }';
    return 'stories(first: 2) { nodes { audio { authors { followerCount } } } }';
  };
  const levelField = (t: string, i: number) => {
    if (shape.levelField === 'field') return `${scalar[t]}${directive} `;
    if (shape.levelField === 'alias') return `l${i}: ${scalar[t]}${directive} `;
    // The same arguments as the leaves' connections, so that the fields merge.
    if (shape.levelField === 'connection') return t === 'User' ? `stories(first: 2)${directive} { totalCount } ` : `${scalar[t]} `;
    return '';
  };
  const wrap = (body: string) => {
    switch (shape.family === 'chain' ? shape.root : 'user') {
      case 'query':
        return body;
      case 'node':
        return `node(id: "${encodeGlobalID('User', 'alice')}") { ... on User { ${body} } }`;
      case 'entities':
        return `_entities(representations: [{__typename: "User", username: "alice"}]) { ... on User { ${body} } }`;
      case 'stories':
        return `user(username: "alice") { stories(first: 3) { nodes { ${body} } } }`;
      case 'artists':
        return `audio(audioId: "${audioId}") { authors { ${body} } }`;
      case 'aliases':
        return Array.from({ length: 30 }, (_, i) => `u${i}: user(username: "alice") { ${body} }`).join(' ');
      default:
        return `user(username: "alice") { ${body} }`;
    }
  };
  if (shape.family === 'nested-inline') {
    // `... on User { displayName ... on Node { id ... on User { ... } } }`, n levels deep.
    let body = `... on User { ${leaf('User')} }`;
    for (let i = n; i > 0; i--) body = `... on ${i % 2 ? 'User' : 'Node'}${directive} { ${i % 2 ? levelField('User', i) : 'id '}${body} }`;
    return `${header} { ${wrap(body)} }`;
  }
  if (shape.family === 'wide') {
    // n copies of the same costly selection, merged by GraphQL but seen n times by a naive walk.
    const body = Array.from({ length: n }, (_, i) => `${levelField('User', i)}${leaf('User')}`).join(' ');
    return `${header} { ${wrap(body)} }`;
  }
  const fragments: string[] = [];
  for (let i = 0; i < n; i++) {
    const next = `F${i + 1}`;
    let spreads: string;
    if (shape.via === 'inline') {
      spreads = Array.from({ length: shape.fanOut }, (_, k) => `... on ${k % 2 && type !== 'Query' ? 'Node' : type}${directive} { ...${next} }`).join(' ');
    } else if (shape.via === 'diamond') {
      spreads = Array.from({ length: shape.fanOut }, (_, k) => `...D${i}_${k}${directive}`).join(' ');
      for (let k = 0; k < shape.fanOut; k++) fragments.push(`fragment D${i}_${k} on ${type} { ...${next} }`);
    } else {
      spreads = Array.from({ length: shape.fanOut }, () => `...${next}${directive}`).join(' ');
    }
    fragments.push(`fragment F${i} on ${type} { ${levelField(type, i)}${spreads} }`);
  }
  fragments.push(`fragment F${n} on ${type} { ${leaf(type)} }`);
  return [`${header} { ${wrap('...F0')} }`, ...fragments].join('\n');
}

/** The most levels of `shape` within `maxTokens`. */
export function maxLevels(shape: AdversarialShape, maxTokens: number, audioId?: string): number {
  let n = 1;
  while (countTokens(adversarialDocument(shape, n + 1, audioId)) <= maxTokens && n < 5000) n++;
  return n;
}

export const adversarialShapeArbitrary: fc.Arbitrary<AdversarialShape> = fc.record({
  family: fc.constantFrom<AdversarialShape['family']>('chain', 'chain', 'chain', 'nested-inline', 'wide'),
  root: fc.constantFrom<ChainRoot>('user', 'query', 'node', 'entities', 'stories', 'artists', 'aliases'),
  fanOut: fc.integer({ min: 2, max: 3 }),
  via: fc.constantFrom<AdversarialShape['via']>('spread', 'inline', 'diamond'),
  levelField: fc.constantFrom<AdversarialShape['levelField']>('none', 'field', 'alias', 'connection'),
  directive: fc.constantFrom<AdversarialShape['directive']>('none', 'include', 'skip-variable'),
  leaf: fc.constantFrom<AdversarialShape['leaf']>('profile', 'stories', 'artists'),
});
