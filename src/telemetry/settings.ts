// Whether telemetry is on, and where each signal goes: the standard OTEL_* environment variables over the
// config's `telemetry` section. Pure and cheap, and imports nothing of OpenTelemetry: when this returns
// undefined no OpenTelemetry module is ever loaded.
import type { TelemetryConfig } from '../config/telemetry-schema.js';

export type Signal = 'traces' | 'metrics' | 'logs';
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface SignalTarget {
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
}

export interface TelemetrySettings {
  /** One entry per signal that is exported; a signal set to `none` (or with a bad protocol) is absent. */
  signals: Partial<Record<Signal, SignalTarget>>;
  serviceName: string;
  resource: Record<string, string>;
  captureContent: boolean;
  /** Longest one export request may take. */
  exportTimeoutMs: number;
  /** How often metrics are exported in a long session (they are always flushed at exit). */
  metricIntervalMs: number;
  /** Settings that were ignored, one line each (said once on stderr). */
  problems: string[];
}

/** One export request gives up after this long unless OTEL_EXPORTER_OTLP_TIMEOUT says less. */
export const DEFAULT_EXPORT_TIMEOUT_MS = 2_000;
const DEFAULT_METRIC_INTERVAL_MS = 60_000;
const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

function truthy(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'yes', 'on'].includes(value.trim().toLowerCase());
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/** `k1=v1,k2=v2` (values percent-encoded) as OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES write it. */
export function parseKeyValues(text: string | undefined, problems: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const item of text.split(',')) {
    if (!item.trim()) continue;
    const at = item.indexOf('=');
    const key = at > 0 ? item.slice(0, at).trim() : '';
    if (!key) {
      problems.push(`${what}: "${item.trim()}" is not key=value, so it was left out`);
      continue;
    }
    const raw = item.slice(at + 1).trim();
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

function signalUrl(signal: Signal, env: NodeJS.ProcessEnv, config: TelemetryConfig | undefined): string | undefined {
  // A per-signal endpoint is used as it is; a base endpoint gets /v1/<signal> appended (the OTLP spec).
  const own = nonEmpty(env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`]);
  if (own) return own;
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ?? nonEmpty(config?.endpoint);
  return base ? `${base.replace(/\/+$/, '')}/v1/${signal}` : undefined;
}

function signalProtocol(
  signal: Signal,
  env: NodeJS.ProcessEnv,
  config: TelemetryConfig | undefined,
  problems: string[],
): OtlpProtocol | undefined {
  const name = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`;
  const value = nonEmpty(env[name]) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? config?.protocol ?? 'http/protobuf';
  if (value === 'http/protobuf' || value === 'http/json') return value;
  problems.push(
    `${signal}: OTLP protocol "${value}" is not supported (use http/protobuf or http/json, port 4318), so ${signal} are not exported`,
  );
  return undefined;
}

/**
 * The telemetry settings, or undefined when telemetry is off: OTEL_SDK_DISABLED=true, `telemetry.enabled:
 * false`, or no endpoint in the environment or the config. `signals` may still be empty (every exporter
 * `none`, or an unsupported protocol): then nothing is started either.
 */
export function telemetrySettings(env: NodeJS.ProcessEnv, config: TelemetryConfig | undefined): TelemetrySettings | undefined {
  if (truthy(env.OTEL_SDK_DISABLED) || config?.enabled === false) return undefined;
  const anyEndpoint =
    nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ??
    nonEmpty(config?.endpoint) ??
    SIGNALS.map((s) => nonEmpty(env[`OTEL_EXPORTER_OTLP_${s.toUpperCase()}_ENDPOINT`])).find(Boolean);
  if (anyEndpoint === undefined) return undefined;

  const problems: string[] = [];
  const common = { ...(config?.headers ?? {}), ...parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS, problems, 'OTEL_EXPORTER_OTLP_HEADERS') };
  const signals: Partial<Record<Signal, SignalTarget>> = {};
  for (const signal of SIGNALS) {
    const upper = signal.toUpperCase();
    if (nonEmpty(env[`OTEL_${upper}_EXPORTER`])?.toLowerCase() === 'none') continue;
    const url = signalUrl(signal, env, config);
    if (!url) continue;
    const protocol = signalProtocol(signal, env, config, problems);
    if (!protocol) continue;
    const headers = {
      ...common,
      ...parseKeyValues(env[`OTEL_EXPORTER_OTLP_${upper}_HEADERS`], problems, `OTEL_EXPORTER_OTLP_${upper}_HEADERS`),
    };
    signals[signal] = { url, protocol, headers };
  }

  const resource = parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES, problems, 'OTEL_RESOURCE_ATTRIBUTES');
  const timeout = Number(nonEmpty(env.OTEL_EXPORTER_OTLP_TIMEOUT));
  const interval = Number(nonEmpty(env.OTEL_METRIC_EXPORT_INTERVAL));
  return {
    signals,
    serviceName: nonEmpty(env.OTEL_SERVICE_NAME) ?? resource['service.name'] ?? 'mcpsh',
    resource,
    captureContent: truthy(env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT) || config?.captureContent === true,
    exportTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, DEFAULT_EXPORT_TIMEOUT_MS) : DEFAULT_EXPORT_TIMEOUT_MS,
    metricIntervalMs: Number.isFinite(interval) && interval > 0 ? interval : DEFAULT_METRIC_INTERVAL_MS,
    problems,
  };
}
