/** `npm run sandbox`: the sandbox KonbiniAPI on its own port (SANDBOX_PORT, default 4010). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { createSandbox } from './handler.js';
import { PERSONAS } from './personas.js';

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const sandbox = createSandbox({ latencyMs: Number(process.env.SANDBOX_LATENCY_MS ?? 0) });
const adapter = createServerAdapter((request: Request) =>
  sandbox.fetch(request.url, { method: request.method, headers: request.headers, signal: request.signal }),
);

const server = createServer(adapter).listen(port, () => {
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
