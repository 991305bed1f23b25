/**
 * OpenTelemetry tracing, off by default. It starts when the standard variables ask for it:
 * `OTEL_TRACES_EXPORTER=otlp` (or an `OTEL_EXPORTER_OTLP_ENDPOINT` / `..._TRACES_ENDPOINT`) exports
 * over OTLP/HTTP, `OTEL_TRACES_EXPORTER=console` prints spans; `OTEL_SERVICE_NAME` names the service.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

type Env = Record<string, string | undefined>;

function exporterFor(env: Env): SpanExporter | undefined {
  const kind = env.OTEL_TRACES_EXPORTER ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none');
  if (kind === 'otlp') return new OTLPTraceExporter();
  if (kind === 'console') return new ConsoleSpanExporter();
  if (kind === 'none') return undefined;
  throw new Error(`OTEL_TRACES_EXPORTER must be otlp, console or none, got "${kind}"`);
}

/** Registers a tracer provider when the environment asks for traces; returns it (to shut it down), or undefined. */
export function startTracing(env: Env = process.env): NodeTracerProvider | undefined {
  const exporter = exporterFor(env);
  if (!exporter) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'tiktok-graph' }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return provider;
}
