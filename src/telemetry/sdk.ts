// The OpenTelemetry SDK set up for one mcpsh process: a tracer, a meter and a logger whose batches go to the
// OTLP endpoints of the settings. Bounded queues, short export timeouts, and a shutdown that flushes what is
// left but never waits longer than its cap. Loaded only by a dynamic import when telemetry is on.
import type { Logger } from '@opentelemetry/api-logs';
import type { Meter, Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { VERSION } from '../version.js';
import { logExporter, metricExporter, onceInDebugLog, spanExporter } from './exporter.js';
import type { TelemetrySettings } from './settings.js';

export const SCOPE = 'mcpsh';

/** Most spans / log records waiting for export; past that new ones are dropped (a run never waits for them). */
const MAX_QUEUE = 2048;
const BATCH = 512;
const BATCH_DELAY_MS = 1_000;

export interface Pipeline {
  tracer: Tracer | undefined;
  meter: Meter | undefined;
  logger: Logger | undefined;
  /** Flushes and stops every signal; resolves after at most `capMs` whatever the collector does. */
  shutdown(capMs: number): Promise<void>;
}

export function createPipeline(settings: TelemetrySettings): Pipeline {
  const resource = resourceFromAttributes({
    ...settings.resource,
    'service.name': settings.serviceName,
    'service.version': VERSION,
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
  });
  const options = { timeoutMs: settings.exportTimeoutMs, failed: onceInDebugLog() };
  const buffer = {
    maxQueueSize: MAX_QUEUE,
    maxExportBatchSize: BATCH,
    scheduledDelayMillis: BATCH_DELAY_MS,
    exportTimeoutMillis: settings.exportTimeoutMs,
  };
  const { traces, metrics, logs } = settings.signals;

  const tracerProvider = traces
    ? new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(spanExporter(traces, options), buffer)] })
    : undefined;
  const meterProvider = metrics
    ? new MeterProvider({
        resource,
        readers: [
          new PeriodicExportingMetricReader({
            exporter: metricExporter(metrics, options),
            exportIntervalMillis: settings.metricIntervalMs,
            exportTimeoutMillis: Math.min(settings.exportTimeoutMs, settings.metricIntervalMs),
          }),
        ],
      })
    : undefined;
  const loggerProvider = logs
    ? new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: logExporter(logs, options), ...buffer })] })
    : undefined;

  return {
    tracer: tracerProvider?.getTracer(SCOPE, VERSION),
    meter: meterProvider?.getMeter(SCOPE, VERSION),
    logger: loggerProvider?.getLogger(SCOPE, VERSION),
    shutdown: async (capMs) => {
      let timer: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, capMs);
        timer.unref();
      });
      const all = Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown(), loggerProvider?.shutdown()]);
      await Promise.race([all, cap]);
      clearTimeout(timer);
    },
  };
}
