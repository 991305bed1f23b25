/** Spans through the OpenTelemetry API: no-ops until src/tracing.ts registers a provider. */
import { type Context, type Span, SpanStatusCode, context, trace } from '@opentelemetry/api';

export type { Context as TraceContext } from '@opentelemetry/api';

export const tracer = () => trace.getTracer('tiktok-graph');

/** Runs `work` in a span that is a child of `parent` (or of the active context), recording a failure. */
export async function inSpan<T>(
  name: string,
  parent: Context | undefined,
  attributes: Record<string, string | number>,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(name, { attributes }, parent ?? context.active());
  try {
    return await work(span);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
