/**
 * The real upstream's transport: `node:http`/`node:https` with keep-alive agents, offered to the
 * exchange as a plain GET (src/upstream/http.ts, `RAW_GET`) behind an ordinary `Fetch`. Global `fetch`
 * (undici) built a WHATWG request, headers and body stream per call: about an eighth of the CPU of a
 * cold answer. The deadline, the bounded read and the classification of errors stay in the exchange.
 */
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type Answer, type Fetch, RAW_GET, type RawGet } from './http.js';

const abortError = () => new DOMException('The upstream exchange was aborted', 'AbortError');

/** `fetch` as it is, with a keep-alive GET the exchange uses instead. */
export function keepAliveFetch(): Fetch & { [RAW_GET]: RawGet } {
  const agents: Record<string, HttpAgent> = {
    'http:': new HttpAgent({ keepAlive: true, scheduling: 'lifo' }),
    'https:': new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }),
  };
  const get: RawGet = (url, headers, signal) =>
    new Promise<Answer>((resolve, reject) => {
      if (signal.aborted) return reject(abortError());
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      // Until the headers come, the deadline ends the request; after, the body (see answerOf).
      const abortRequest = () => request.destroy(abortError());
      const request = send(target, { agent: agents[target.protocol], headers }, (response) => {
        signal.removeEventListener('abort', abortRequest);
        resolve(answerOf(response, signal));
      });
      signal.addEventListener('abort', abortRequest, { once: true });
      request.once('error', (error) => {
        signal.removeEventListener('abort', abortRequest);
        reject(signal.aborted ? abortError() : error);
      });
      request.end();
    });
  return Object.assign((input: string, init?: RequestInit) => fetch(input, init), { [RAW_GET]: get });
}

function answerOf(response: IncomingMessage, signal: AbortSignal): Answer {
  const abortBody = () => response.destroy(abortError());
  if (signal.aborted) abortBody();
  else signal.addEventListener('abort', abortBody, { once: true });
  response.once('close', () => signal.removeEventListener('abort', abortBody));
  return {
    status: response.statusCode ?? 0,
    header: (name) => {
      const value = response.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    async *chunks() {
      try {
        for await (const chunk of response) yield chunk as Buffer;
      } catch (error) {
        throw signal.aborted ? abortError() : error;
      }
    },
    cancel: async () => {
      response.destroy();
    },
  };
}
