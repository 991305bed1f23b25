/**
 * GraphiQL, served with its assets inlined (no CDN: many deployments sit on closed networks), opening
 * with a query that shows the graph's shape and example tabs for the other things it does, and
 * running operations with a fetcher of ours (below) rather than the one Yoga's GraphiQL builds.
 */
import type { GraphiQLOptions } from 'graphql-yoga';

export const DEFAULT_QUERY = `# Welcome to the TikTok graph over KonbiniAPI.
# Every response says what it cost in extensions.upstream.
query Profile {
  user(username: "@khaby.lame") {
    displayName
    followerCount
    likeCount
    videos(first: 3, order: POPULAR) {
      totalCount
      nodes { videoId caption viewCount hashtags { name } audio { title } }
      pageInfo { hasNextPage endCursor }
    }
    stories(first: 3) {
      totalCount
      edges {
        cursor
        node { kind caption publishedAt audio { title authors { username } } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}
`;

const EXAMPLE_TABS = [
  {
    query: `# A video, its top comments and their first replies (a reply has none: no call).
query Comments($videoId: String!) {
  video(videoId: $videoId) {
    caption
    author { username displayName }
    comments(first: 5) {
      nodes { text likeCount replyCount author { username } replies(first: 2) { nodes { text } } }
    }
  }
}`,
    variables: JSON.stringify({ videoId: '7084819792000000148' }, null, 2),
  },
  {
    query: `# Resume after any edge cursor: paste one as $after.
query Stories($username: String!, $after: String) {
  user(username: $username) {
    stories(first: 5, after: $after) {
      edges { cursor node { id kind caption expiresAt media { quality urls } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
    variables: JSON.stringify({ username: 'khaby.lame', after: null }, null, 2),
  },
  {
    query: `# One entry per username, in order; a missing user is null with NOT_FOUND.
query Compare {
  users(usernames: ["khaby.lame", "@Alice", "nobody"]) { username followerCount likeCount }
}`,
  },
  {
    query: `# How much would this cost? The X-Dry-Run header answers without spending a credit.
query Expensive {
  users(usernames: ["a", "b", "c"]) { displayName stories(first: 100) { totalCount } }
}`,
    headers: JSON.stringify({ 'X-Dry-Run': 'true' }, null, 2),
  },
];

/** The subscription example: GraphiQL runs it over SSE (see the fetcher), showing each event as it comes. */
export const SUBSCRIPTION_TAB = {
  query: `# New stories as they are published: GraphiQL listens over SSE (clients may use graphql-ws
# at ws://<host>/graphql). Run it, publish a story (on \`npm run sandbox\`:
# POST /_sandbox/users/khaby.lame/stories), and it shows up within one poll interval.
subscription Published($usernames: [String!]!) {
  storyPublished(usernames: $usernames) { storyId kind caption publishedAt author { username } }
}`,
  variables: JSON.stringify({ usernames: ['khaby.lame'] }, null, 2),
};

const OPTIONS: GraphiQLOptions = {
  title: 'TikTok graph',
  defaultQuery: DEFAULT_QUERY,
  defaultTabs: [{ query: DEFAULT_QUERY }, ...EXAMPLE_TABS, SUBSCRIPTION_TAB],
};

export const graphiqlOptions = () => OPTIONS;

/*
 * Why GraphiQL gets our fetcher. GraphiQL 5 (the one @graphql-yoga/render-graphiql bundles) runs the
 * query editor's text as it is, but with the operation name it derives from that text 100 ms after
 * the last edit. Run sooner (paste and Ctrl+Enter, type and Ctrl+Enter, switch tabs and run) and it
 * asks for the operation of the text that was there before: `Profile` once the default query has been
 * replaced. Yoga's fetcher then drops every operation not so named and fails in the browser with
 * "Cannot infer operation Profile"; nothing reaches the server, so no leniency there could help (and
 * the server is right to refuse an operation name the document does not define). Our options cannot
 * avoid it either: the stale name is that of whatever text was there, the user's own named operations
 * included, and Yoga builds its fetcher inside the bundle, out of reach of any option.
 *
 * So the page hands GraphiQL this fetcher: a plain GraphQL-over-HTTP POST to the page's own path (the
 * endpoint Yoga's fetcher uses), with the header editor's headers, that corrects the one case where the
 * name is certainly stale: a document with a single operation that the name does not match. It sends
 * no operation name then, which the GraphQL-over-HTTP spec allows and which can only mean that
 * operation. With several operations, GraphiQL's choice is sent as it is.
 * It also shows whatever JSON the server answers, where Yoga's fetcher refuses an answer with neither
 * `data` nor `errors`: the answer to a dry run (`X-Dry-Run`, one of the example tabs).
 * A subscription is asked with `Accept: text/event-stream` and its events (GraphQL over SSE, as Yoga
 * sends them) are handed to GraphiQL as an async iterable, which it shows one after another; stopping
 * it in GraphiQL cancels the stream. The schema has no @defer or @stream, so no multipart is needed.
 */
const PAGE_FETCHER = String.raw`
/* How many operations the document defines, and the names of the named ones. Strings and comments
   define nothing; braces, parentheses and brackets nest; each top-level { but a fragment's opens one. */
function graphiqlOperations(query) {
  var text = String(query || '').replace(/"""(?:\\"""|[\s\S])*?"""|"(?:\\.|[^"\\\n\r])*"|#[^\n\r]*/g, ' ');
  var tokens = /[{}()[\]]|\b(query|mutation|subscription|fragment)\b(?:[\s,]+([_A-Za-z]\w*))?/g;
  var depth = 0, count = 0, names = [], kinds = [], namedKinds = [], fragment = false, kind = null, name = null, match;
  while ((match = tokens.exec(text))) {
    if (match[1]) {
      if (depth === 0) { fragment = match[1] === 'fragment'; kind = match[1]; name = match[2] || null; }
      continue;
    }
    if (match[0] === '{' && depth === 0) {
      if (!fragment) { count += 1; kinds.push(kind || 'query'); if (name) { names.push(name); namedKinds.push(kind); } }
      fragment = false; kind = null; name = null;
    }
    depth += '{(['.indexOf(match[0]) >= 0 ? 1 : -1;
  }
  return { count: count, names: names, kinds: kinds, namedKinds: namedKinds };
}

/* Whether the operation to run is a subscription: the named one, or the only one. */
function graphiqlIsSubscription(query, operationName) {
  var operations = graphiqlOperations(query);
  var at = operationName ? operations.names.indexOf(operationName) : -1;
  var kind = at >= 0 ? operations.namedKinds[at] : operations.kinds[0];
  return operations.count >= 1 && kind === 'subscription';
}

/* The events of a GraphQL-over-SSE answer ("event: next" and "event: complete"), as an async iterable. */
function graphiqlEvents(response) {
  var reader = response.body.getReader();
  var decoder = new TextDecoder();
  var buffer = '', queue = [], finished = false;
  function take(block) {
    var event = 'message', data = [];
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) event = line.slice(6).trim();
      else if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
    });
    if (event === 'complete') finished = true;
    else if (event === 'next' && data.length) queue.push(JSON.parse(data.join('\n')));
  }
  var iterator = {
    next: function () {
      if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return reader.read().then(function (chunk) {
        if (chunk.done) finished = true;
        else {
          buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, '\n');
          var blocks = buffer.split('\n\n');
          buffer = blocks.pop();
          blocks.forEach(take);
        }
        return iterator.next();
      });
    },
    return: function () {
      finished = true;
      reader.cancel().catch(function () {});
      return Promise.resolve({ value: undefined, done: true });
    }
  };
  iterator[Symbol.asyncIterator] = function () { return iterator; };
  return iterator;
}

/* The operation name to send: GraphiQL's, unless the document has one operation, not so named. */
function graphiqlOperationName(query, operationName) {
  if (!operationName) return undefined;
  var operations = graphiqlOperations(query);
  return operations.count === 1 && operations.names.indexOf(operationName) < 0 ? undefined : operationName;
}

function graphiqlFetcher(options) {
  var endpoint = new URL(options.endpoint || location.pathname, location.href).toString();
  return function (params, context) {
    var subscription = graphiqlIsSubscription(params.query, params.operationName);
    var accept = subscription ? 'text/event-stream' : 'application/graphql-response+json, application/json';
    var headers = Object.assign(
      { accept: accept, 'content-type': 'application/json' },
      options.additionalHeaders,
      context && context.headers
    );
    var body = JSON.stringify({
      query: params.query,
      variables: params.variables || undefined,
      operationName: graphiqlOperationName(params.query, params.operationName),
      extensions: params.extensions || undefined
    });
    var request = { method: 'POST', credentials: options.credentials || 'same-origin', headers: headers, body: body };
    return fetch(endpoint, request).then(function (response) {
      if (subscription && /^text\/event-stream/.test(response.headers.get('content-type') || '')) return graphiqlEvents(response);
      return response.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (error) {
          throw new Error('HTTP ' + response.status + ' ' + response.statusText + ': ' + text.slice(0, 500));
        }
      });
    });
  };
}

function renderGraphiQLWithOurFetcher(render, root, options) {
  return render(root, Object.assign({}, options, { fetcher: graphiqlFetcher(options) }));
}
`;

/** The page's last statement, which renders GraphiQL with the options; the fetcher is passed there. */
const RENDER_CALL = 'YogaGraphiQL.renderYogaGraphiQL(';

/**
 * Yoga's GraphiQL page (assets inlined) with GraphiQL running operations through our fetcher (above).
 * Throws if the page no longer renders GraphiQL with that call, so that an upgrade of
 * `@graphql-yoga/render-graphiql` fails the tests rather than quietly bringing the bug back.
 * The renderer is loaded on the first call: its 9 MB bundle held some 29 MiB of heap in every process
 * from startup, most of which never serves the page.
 */
export async function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL: renderYogaGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const page = renderYogaGraphiQL(options);
  const call = page.lastIndexOf(RENDER_CALL);
  if (call < 0) throw new Error(`GraphiQL's page no longer calls ${RENDER_CALL}...): update src/graphiql.ts.`);
  const patched = `${PAGE_FETCHER}\nrenderGraphiQLWithOurFetcher(YogaGraphiQL.renderYogaGraphiQL, `;
  return page.slice(0, call) + patched + page.slice(call + RENDER_CALL.length);
}
