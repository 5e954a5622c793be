// The metrics mcpsh exports: GenAI client token usage and operation duration, MCP client call duration (from
// the spans' timing), and per-server numbers read from the hub's own metrics (src/mcp/metrics.ts) each time
// metrics are exported: calls, errors, restarts, breaker state and whether the server is up.
import type { Histogram, Meter } from '@opentelemetry/api';

export interface Instruments {
  tokenUsage: Histogram;
  operationDuration: Histogram;
  mcpDuration: Histogram;
}

/** The hub as the metrics read it. */
export interface ObservedHub {
  readonly connections: readonly ObservedServer[];
  onStateChange(listener: (connection: ObservedServer) => void): () => void;
}

export interface ObservedServer {
  readonly name: string;
  readonly state: string;
  readonly error: string | undefined;
  readonly metrics: { readonly calls: number; readonly errors: number; readonly restarts: number };
  readonly breaker: { readonly state: 'closed' | 'open' | 'half-open' };
}

// Bucket boundaries the GenAI semantic conventions advise.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const SECONDS_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

export const BREAKER_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;

export function createInstruments(meter: Meter): Instruments {
  return {
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    operationDuration: meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'GenAI operation duration',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    mcpDuration: meter.createHistogram('mcp.client.operation.duration', {
      description: 'The duration of the MCP request as observed on the sender from the time it was sent until the response is received',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
  };
}

/** Per-server gauges and counters, read from the hub when metrics are collected. */
export function observeServers(meter: Meter, hub: ObservedHub): void {
  const calls = meter.createObservableCounter('mcpsh.server.calls', { description: 'Tool calls made to the server', unit: '{call}' });
  const errors = meter.createObservableCounter('mcpsh.server.errors', {
    description: 'Tool calls to the server that failed',
    unit: '{call}',
  });
  const restarts = meter.createObservableCounter('mcpsh.server.restarts', {
    description: 'Times the server was restarted or reconnected',
    unit: '{restart}',
  });
  const breaker = meter.createObservableGauge('mcpsh.server.breaker.state', {
    description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
  });
  const up = meter.createObservableGauge('mcpsh.server.up', { description: '1 while the server is connected and ready, else 0' });
  meter.addBatchObservableCallback(
    (result) => {
      for (const c of hub.connections) {
        const attributes = { 'mcpsh.server.name': c.name };
        result.observe(calls, c.metrics.calls, attributes);
        result.observe(errors, c.metrics.errors, attributes);
        result.observe(restarts, c.metrics.restarts, attributes);
        result.observe(breaker, BREAKER_VALUES[c.breaker.state], attributes);
        result.observe(up, c.state === 'ready' ? 1 : 0, attributes);
      }
    },
    [calls, errors, restarts, breaker, up],
  );
}
