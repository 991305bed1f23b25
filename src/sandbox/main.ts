/** `npm run sandbox`: the sandbox KonbiniAPI on its own port (SANDBOX_PORT, default 4010). */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox } from './handler.js';
import { PERSONAS } from './personas.js';

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const sandbox = createSandbox({ latencyMs: Number(process.env.SANDBOX_LATENCY_MS ?? 0) });

const CONTROL = /^\/_sandbox\/(?:users\/@?([A-Za-z0-9._]{1,24})\/(stories|videos|profile)|(outage))$/;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 64 * 1024) throw new Error('body too large');
  }
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * Live changes while the sandbox runs (`POST`, answered with what was made):
 * `/_sandbox/users/:username/stories` and `/videos` publish one now, `/_sandbox/users/:username/profile`
 * changes the profile (a JSON body of fields, else one more follower), `/_sandbox/outage` with
 * `{"on": true}` makes every call answer 503 until `{"on": false}`.
 */
async function control(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const match = CONTROL.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
  if (!match) return false;
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'POST') {
    send(405, { error: 'POST only' });
    return true;
  }
  try {
    const body = await readJson(req);
    const [, username, what, outage] = match;
    if (outage) {
      sandbox.outage = body.on === true;
      send(200, { outage: sandbox.outage });
    } else if (what === 'stories') send(200, { data: sandbox.publishStory(username!) });
    else if (what === 'videos') send(200, { data: sandbox.publishVideo(username!) });
    else send(200, { data: sandbox.changeProfile(username!, Object.keys(body).length > 0 ? body : undefined) });
  } catch (error) {
    send(400, { error: String(error) });
  }
  return true;
}

/**
 * Serves one call over plain node:http, so that a body that breaks off (the `cut_off_body` persona)
 * resets the connection after the status and the credit headers, as a real network failure would.
 */
async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (await control(req, res)) return;
  const gone = new AbortController();
  res.on('close', () => gone.abort()); // the caller hung up: stop waiting for it
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  try {
    const response = await sandbox.fetch(`http://localhost${req.url ?? '/'}`, { method: req.method, headers, signal: gone.signal });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.flushHeaders();
    if (response.body) {
      // Each chunk is on the wire before the next is read, so a reset comes after what was sent.
      for await (const chunk of response.body) await new Promise((written) => res.write(chunk, written));
    }
    res.end();
  } catch {
    res.destroy();
  }
}

const server = createServer((req, res) => void serve(req, res)).listen(port, () => {
  const { port: actual } = server.address() as AddressInfo;
  console.log(
    JSON.stringify({
      msg: `sandbox KonbiniAPI listening on http://localhost:${actual} (any knbn_ key works)`,
      port: actual,
      latencyMs: sandbox.latencyMs,
      personas: Object.keys(PERSONAS),
    }),
  );
});
