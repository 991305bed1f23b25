/**
 * GraphQL over WebSocket (the graphql-ws protocol) at /graphql, beside Yoga's HTTP and SSE, executed
 * through Yoga's envelop as Yoga documents it: the same parse, validation limits, cost checks, context
 * and subscription plugins as HTTP. What Yoga does per HTTP request before envelop is done here per
 * connection: client keys (`Authorization` header, or `authorization` in the connection's params),
 * allowed origins, the body limit (largest message), the variables' depth, trusted-documents mode, and
 * refusing connections while draining. Only subscriptions run here: queries go over HTTP, where rate
 * limits, persisted queries and the response cache apply.
 */
import type { IncomingMessage, Server } from 'node:http';
import { type ExecutionArgs, GraphQLError, getOperationAST } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { App } from '../app.js';
import { bearerToken, fingerprint } from '../budget/client-identity.js';
import type { AppConfig } from '../config.js';
import { ErrorCode } from '../errors.js';
import { MAX_VALUE_DEPTH, nestedDeeperThan } from '../schema/inputs.js';

type Enveloped = ReturnType<App['yoga']['getEnveloped']>;

/** Bytes a socket may leave unread before it is closed: a reader that never reads must not grow our memory. */
export const MAX_UNREAD_BYTES = 1024 * 1024;

/** The upgrade request as a Fetch request, with the connection's `authorization` param as its header. */
function requestOf(req: IncomingMessage, params: Record<string, unknown> | undefined): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string') headers.set('authorization', authorization);
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/graphql'}`, { headers });
}

const refusal = (code: string, message: string) => new GraphQLError(message, { extensions: { code } });

export interface WebSocketEndpoint {
  /** Closes every socket with 1001 (going away); their subscriptions end. */
  close(): Promise<void>;
}

/** Serves graphql-ws on `server`'s upgrades to /graphql. */
export function attachWebSocket(server: Server, app: App, config: AppConfig): WebSocketEndpoint {
  const { limits } = config;
  const keys = new Set(limits.clientKeys.map(fingerprint));
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const origin = req.headers.origin;
    const originAllowed = limits.corsOrigins.includes('*') || origin === undefined || limits.corsOrigins.includes(origin);
    if (path !== '/graphql' || !originAllowed || app.lifecycle.draining) {
      socket.end(`HTTP/1.1 ${path !== '/graphql' ? '404 Not Found' : '403 Forbidden'}\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const requests = new WeakMap<object, Request>();
  const disposable = useServer(
    {
      onConnect(ctx) {
        if (app.lifecycle.draining) return false;
        const request = requestOf(ctx.extra.request, ctx.connectionParams);
        if (keys.size > 0) {
          const key = bearerToken(request);
          if (!key || !keys.has(fingerprint(key))) return false;
        }
        requests.set(ctx.extra.socket, request);
        return true;
      },
      onNext(ctx) {
        if (ctx.extra.socket.bufferedAmount > MAX_UNREAD_BYTES) ctx.extra.socket.close(1013, 'Events were not read: try again later');
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      async onSubscribe(ctx, _id, payload) {
        if (config.trustedDocumentsPath) {
          return [refusal('TRUSTED_DOCUMENTS_ONLY', 'This server runs trusted documents only: subscribe over SSE with a document id.')];
        }
        if (nestedDeeperThan(payload.variables, MAX_VALUE_DEPTH + 1) || nestedDeeperThan(payload.extensions, MAX_VALUE_DEPTH + 1)) {
          return [refusal(ErrorCode.BAD_USER_INPUT, `The variables nest lists or objects deeper than ${MAX_VALUE_DEPTH} levels.`)];
        }
        const request = requests.get(ctx.extra.socket) ?? requestOf(ctx.extra.request, ctx.connectionParams);
        const enveloped = app.yoga.getEnveloped({ request, req: ctx.extra.request, socket: ctx.extra.socket, params: payload });
        let document: ExecutionArgs['document'];
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          return [error as never];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        // Queries go over HTTP, where rate limits, persisted queries and the response cache apply.
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          return [refusal(ErrorCode.OPERATION_NOT_SUPPORTED, 'Over WebSocket only subscriptions run: send queries over HTTP (POST /graphql).')];
        }
        return {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: enveloped,
        };
      },
    },
    wss,
  );
  return { close: async () => disposable.dispose() };
}
