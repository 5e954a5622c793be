// OTLP over HTTP for the three signals: the OpenTelemetry serializers (protobuf or JSON) and one POST per
// batch, bounded by a short timeout. A failed export is dropped, never retried and never reported as an error:
// the first failure of the run is one line in the debug log, and that is all. Loaded only when telemetry is on.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
  type ISerializer,
} from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord, LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { debugLog } from '../debug-log.js';
import { errorMessage } from '../errors.js';
import type { Signal, SignalTarget } from './settings.js';

/** Says the first failed export of the run, once, in the debug log. */
export type FailureNote = (signal: Signal, url: string, reason: string) => void;

export function onceInDebugLog(): FailureNote {
  let said = false;
  return (signal, url, reason) => {
    if (said) return;
    said = true;
    debugLog.note('telemetry export failed (later failures are not logged)', { signal, url, reason });
  };
}

/** POSTs serialized batches to one signal's endpoint; tracks requests in flight so a flush can wait for them. */
class OtlpHttpSender<T> {
  private readonly inFlight = new Set<Promise<ExportResult>>();
  private stopped = false;

  constructor(
    private readonly signal: Signal,
    private readonly target: SignalTarget,
    private readonly serializer: ISerializer<T, unknown>,
    private readonly timeoutMs: number,
    private readonly failed: FailureNote,
  ) {}

  send(items: T, done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED });
      return;
    }
    const request = this.post(items);
    this.inFlight.add(request);
    void request.then((result) => {
      this.inFlight.delete(request);
      done(result);
    });
  }

  private async post(items: T): Promise<ExportResult> {
    const body = this.serializer.serializeRequest(items);
    if (body === undefined) return { code: ExportResultCode.FAILED, error: new Error('could not encode the batch') };
    const contentType = this.target.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
    try {
      const response = await fetch(this.target.url, {
        method: 'POST',
        headers: { ...this.target.headers, 'content-type': contentType },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The answer is read whole so the connection is free again (and does not hold the process open).
      await response.arrayBuffer();
      if (response.ok) return { code: ExportResultCode.SUCCESS };
      this.failed(this.signal, this.target.url, `HTTP ${response.status}`);
      return { code: ExportResultCode.FAILED, error: new Error(`HTTP ${response.status}`) };
    } catch (err) {
      const reason =
        err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : describeFetchError(err);
      this.failed(this.signal, this.target.url, reason);
      return { code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(reason) };
    }
  }

  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.flush();
  }
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  return cause === undefined ? errorMessage(err) : `${errorMessage(err)}: ${errorMessage(cause)}`;
}

type Options = { timeoutMs: number; failed: FailureNote };

export function spanExporter(target: SignalTarget, options: Options): SpanExporter {
  const serializer = target.protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
  const sender = new OtlpHttpSender<ReadableSpan[]>('traces', target, serializer, options.timeoutMs, options.failed);
  return {
    export: (spans, done) => sender.send(spans, done),
    forceFlush: () => sender.flush(),
    shutdown: () => sender.shutdown(),
  };
}

export function metricExporter(target: SignalTarget, options: Options): PushMetricExporter {
  const serializer = target.protocol === 'http/json' ? JsonMetricsSerializer : ProtobufMetricsSerializer;
  const sender = new OtlpHttpSender<ResourceMetrics>('metrics', target, serializer, options.timeoutMs, options.failed);
  return {
    export: (metrics, done) => sender.send(metrics, done),
    forceFlush: () => sender.flush(),
    shutdown: () => sender.shutdown(),
    // Cumulative, the OTLP default: a run's counters add up from its start, whatever the collector does.
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
}

export function logExporter(target: SignalTarget, options: Options): LogRecordExporter {
  const serializer = target.protocol === 'http/json' ? JsonLogsSerializer : ProtobufLogsSerializer;
  const sender = new OtlpHttpSender<ReadableLogRecord[]>('logs', target, serializer, options.timeoutMs, options.failed);
  return {
    export: (logs, done) => sender.send(logs, done),
    forceFlush: () => sender.flush(),
    shutdown: () => sender.shutdown(),
  };
}
