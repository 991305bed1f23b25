/** `npm run sandbox`: the sandbox KonbiniAPI on its own port (SANDBOX_PORT, default 4010). */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox } from './handler.js';
import { PERSONAS } from './personas.js';

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const sandbox = createSandbox({ latencyMs: Number(process.env.SANDBOX_LATENCY_MS ?? 0) });

/**
 * Serves one call over plain node:http, so that a body that breaks off (the `cut_off_body` persona)
 * resets the connection after the status and the credit headers, as a real network failure would.
 */
async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
