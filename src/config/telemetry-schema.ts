// The `telemetry` config section: OpenTelemetry export over OTLP (docs/observability.md). The standard OTEL_*
// environment variables take precedence over it; nothing is sent unless an endpoint is set somewhere.
import { z } from 'zod';

export const TelemetrySchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('false: never export, whatever the environment says (default: on when an endpoint is set).'),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'Base URL of an OTLP/HTTP receiver, e.g. http://127.0.0.1:4318 (/v1/traces, /v1/metrics and /v1/logs are appended). OTEL_EXPORTER_OTLP_ENDPOINT overrides it.',
      ),
    protocol: z
      .enum(['http/protobuf', 'http/json'])
      .optional()
      .describe('OTLP encoding (default http/protobuf). OTEL_EXPORTER_OTLP_PROTOCOL overrides it.'),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('Headers sent with every export, e.g. an API key for a hosted collector (use ${VAR} for secrets).'),
    captureContent: z
      .boolean()
      .optional()
      .describe(
        'Export prompts, answers, tool arguments and results (secrets still masked). Default false; OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true also turns it on.',
      ),
  })
  .describe('OpenTelemetry export of traces, metrics and logs (docs/observability.md).');

export type TelemetryConfig = z.infer<typeof TelemetrySchema>;
