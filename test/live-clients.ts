/**
 * Real subscription clients for the live tests: graphql-sse (distinct connections) and graphql-ws over
 * `ws`, each collecting what it receives, plus helpers that wait for a condition (never for a time).
 */
import { createClient as createSseClient } from 'graphql-sse';
import { type Client as WsClient, createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received {
  events: any[];
  errors: unknown[];
  completed: boolean;
  dispose(): void;
}

export interface Subscriber {
  subscribe(query: string, variables?: Record<string, unknown>): Received;
  close(): Promise<void>;
}

/** Collects what one subscription receives. */
class Collector implements Received {
  events: any[] = [];
  errors: unknown[] = [];
  completed = false;
  dispose: () => void = () => {};
  readonly sink = {
    next: (value: unknown) => void this.events.push(value),
    error: (error: unknown) => void this.errors.push(error),
    complete: () => {
      this.completed = true;
    },
  };
}

/** A graphql-sse client in distinct-connections mode: one HTTP stream per subscription. */
export function sseSubscriber(url: string, headers: Record<string, string> = {}): Subscriber {
  const client = createSseClient({ url, headers, retryAttempts: 0 });
  return {
    subscribe(query, variables) {
      const c = new Collector();
      c.dispose = client.subscribe({ query, variables }, c.sink);
      return c;
    },
    close: async () => client.dispose(),
  };
}

/** A graphql-ws client over `ws`: every subscription on one socket; `closes` records the close codes. */
export function wsSubscriber(url: string, connectionParams: Record<string, unknown> = {}): Subscriber & { closes: number[]; client: WsClient } {
  const closes: number[] = [];
  const client = createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closes.push((event as { code: number }).code) },
  });
  return {
    closes,
    client,
    subscribe(query, variables) {
      const c = new Collector();
      c.dispose = client.subscribe({ query, variables }, c.sink);
      return c;
    },
    close: () => client.dispose() as Promise<void>,
  };
}

/** Resolves once `condition` holds (checked every 25 ms); rejects with `what` after a generous bound. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, boundMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > boundMs) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The value of an unlabelled metric (or the sum of a labelled one's series) on `/metrics`. */
export async function metric(origin: string, name: string, bearer?: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
