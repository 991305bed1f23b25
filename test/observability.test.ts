/** Prometheus metrics of operations, and OpenTelemetry spans for operations and upstream calls. */
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing } from '../src/tracing.js';
import { setup } from './helpers.js';

afterEach(() => trace.disable());

describe('/metrics', () => {
  it('counts operations by name and outcome, with durations, upstream calls and credits', async () => {
    const { gql, app } = setup({ sandbox: { credits: 500 } });
    await gql(`query Profile { user(username: "alice") { displayName } }`);
    await gql(`query Profile { user(username: "alice") { displayName } }`);
    await gql(`query Several { users(usernames: ["bob", "nobody"]) { displayName } }`);
    await gql(`{ user(username: "carol") { username } }`);
    const res = await app.yoga.fetch('http://localhost/metrics');
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toContain('graphql_operations_total{operation="Profile",outcome="ok"} 2');
    expect(text).toContain('graphql_operations_total{operation="Several",outcome="partial"} 1');
    expect(text).toContain('graphql_operations_total{operation="anonymous",outcome="ok"} 1');
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{operation="Profile"\} 2/);
    expect(text).toContain('konbini_upstream_calls_total{endpoint="user",status="200"} 3');
    expect(text).toContain('konbini_upstream_calls_total{endpoint="user",status="404"} 1');
    expect(text).toContain('konbini_credits_used_total 4');
    expect(text).toContain('konbini_credits_remaining 496');
    expect(text).toContain('tiktok_graph_cache_lookups_total{cache="user",result="hit"} 1');
  });

  it('counts answers from the response cache as cached, under the operation name of their document', async () => {
    const { gql, app } = setup({ config: { responseCacheMaxEntries: 10 } });
    for (let i = 0; i < 3; i++) await gql(`query Profile { user(username: "alice") { displayName } }`);
    await gql(`query A { user(username: "bob") { username } } query B { user(username: "carol") { username } }`);
    const text = await (await app.yoga.fetch('http://localhost/metrics')).text();
    expect(text).toContain('graphql_operations_total{operation="Profile",outcome="ok"} 1');
    expect(text).toContain('graphql_operations_total{operation="Profile",outcome="cached"} 2');
    // Only the execution is timed; answers from the cache ran nothing.
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{operation="Profile"\} 1\n/);
    // Counts survive reads: a second scrape adds nothing, a new answer adds one.
    expect(await (await app.yoga.fetch('http://localhost/metrics')).text()).toContain('graphql_operations_total{operation="Profile",outcome="cached"} 2');
    await gql(`query Profile { user(username: "alice") { displayName } }`);
    expect(await (await app.yoga.fetch('http://localhost/metrics')).text()).toContain('graphql_operations_total{operation="Profile",outcome="cached"} 3');
    const second = await app.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query A { user(username: "bob") { username } } query B { user(username: "carol") { username } }`, operationName: 'B' }),
    });
    expect((await second.json()).data.user.username).toBe('carol');
    await app.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query A { user(username: "bob") { username } } query B { user(username: "carol") { username } }`, operationName: 'B' }),
    });
    const after = await (await app.yoga.fetch('http://localhost/metrics')).text();
    expect(after).toContain('graphql_operations_total{operation="B",outcome="ok"} 1');
    expect(after).toContain('graphql_operations_total{operation="B",outcome="cached"} 1');
  });
});

describe('OpenTelemetry', () => {
  it('is off unless the OTEL variables ask for it', async () => {
    expect(startTracing({})).toBeUndefined();
    expect(startTracing({ OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(() => startTracing({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER/);
    const provider = startTracing({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'graph-under-test' });
    expect(provider).toBeDefined();
    await provider!.shutdown();
  });

  it('traces each operation, with its upstream calls as child spans', async () => {
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    const { gql } = setup();
    await gql(`query Traced { user(username: "alice") { displayName stories(first: 1) { totalCount } } }`);
    const spans = exporter.getFinishedSpans();
    const operation = spans.find((s) => s.name === 'query Traced')!;
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'Traced',
      'graphql.outcome': 'ok',
      'konbini.requests': 2,
      'konbini.credits_used': 2,
    });
    const upstream = spans.filter((s) => s.name.startsWith('konbini GET'));
    expect(upstream.map((s) => s.name).sort()).toEqual(['konbini GET stories', 'konbini GET user']);
    for (const span of upstream) {
      expect(span.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
      expect(span.attributes).toMatchObject({ 'http.response.status_code': '200', 'konbini.credits_used': 1 });
      expect(String(span.attributes['url.path'])).toMatch(/^\/v1\/tiktok\/users\/alice/);
    }
  });
});
