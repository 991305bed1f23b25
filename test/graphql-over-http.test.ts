/** The GraphQL-over-HTTP spec, as audited by the `graphql-http` package against the live server. */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setup } from './helpers.js';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer(setup().app.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => server.close());

const audits = serverAudits({ url: () => url, fetchFn: fetch });

it(`runs all ${audits.length} audits`, () => expect(audits.length).toBeGreaterThan(50));

it.each(audits.map((audit) => ({ name: audit.name, id: audit.id, audit })))('$id $name', async ({ audit }) => {
  const result = await audit.fn();
  expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
});
