// Which OTEL_* variables and config settings turn telemetry on, and where each signal goes.
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPORT_TIMEOUT_MS, parseKeyValues, telemetrySettings } from '../../../src/telemetry/settings.js';

describe('telemetrySettings', () => {
  it('is off without an endpoint, with OTEL_SDK_DISABLED, and with telemetry.enabled false', () => {
    expect(telemetrySettings({}, undefined)).toBeUndefined();
    expect(telemetrySettings({}, { captureContent: true })).toBeUndefined();
    expect(
      telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }, undefined),
    ).toBeUndefined();
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, { enabled: false })).toBeUndefined();
  });

  it('appends /v1/<signal> to a base endpoint, takes per-signal endpoints as they are, and env over config', () => {
    const s = telemetrySettings(
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:9999/logs' },
      { endpoint: 'http://127.0.0.1:1/' },
    );
    expect(s?.signals).toEqual({
      traces: { url: 'http://127.0.0.1:4318/v1/traces', protocol: 'http/protobuf', headers: {} },
      metrics: { url: 'http://127.0.0.1:4318/v1/metrics', protocol: 'http/protobuf', headers: {} },
      logs: { url: 'http://127.0.0.1:9999/logs', protocol: 'http/protobuf', headers: {} },
    });
    expect(telemetrySettings({}, { endpoint: 'http://127.0.0.1:4318', protocol: 'http/json' })?.signals.traces).toEqual({
      url: 'http://127.0.0.1:4318/v1/traces',
      protocol: 'http/json',
      headers: {},
    });
  });

  it('a per-signal endpoint alone turns on that signal only', () => {
    expect(
      Object.keys(telemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }, undefined)?.signals ?? {}),
    ).toEqual(['traces']);
  });

  it('drops a signal whose exporter is none or whose protocol is not supported, saying why', () => {
    const s = telemetrySettings(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://h:4318',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      },
      undefined,
    );
    expect(Object.keys(s?.signals ?? {})).toEqual(['traces']);
    expect(s?.signals.traces?.protocol).toBe('http/json');
    expect(s?.problems).toEqual([
      'logs: OTLP protocol "grpc" is not supported (use http/protobuf or http/json, port 4318), so logs are not exported',
    ]);
  });

  it('merges headers: config, then OTEL_EXPORTER_OTLP_HEADERS, then the per-signal ones (values percent-decoded)', () => {
    const s = telemetrySettings(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://h:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=two%20words',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=3',
      },
      { headers: { a: '0', c: 'config' } },
    );
    expect(s?.signals.traces?.headers).toEqual({ a: '1', b: '3', c: 'config' });
    expect(s?.signals.logs?.headers).toEqual({ a: '1', b: 'two words', c: 'config' });
  });

  it('service name, resource attributes, content capture and the export timeout', () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://h:4318' };
    expect(telemetrySettings(base, undefined)).toMatchObject({
      serviceName: 'mcpsh',
      captureContent: false,
      exportTimeoutMs: DEFAULT_EXPORT_TIMEOUT_MS,
    });
    expect(telemetrySettings({ ...base, OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,team=ai' }, undefined)).toMatchObject({
      serviceName: 'from-attrs',
      resource: { team: 'ai' },
    });
    expect(
      telemetrySettings({ ...base, OTEL_SERVICE_NAME: 'svc', OTEL_RESOURCE_ATTRIBUTES: 'service.name=x' }, undefined)?.serviceName,
    ).toBe('svc');
    expect(telemetrySettings({ ...base, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }, undefined)?.captureContent).toBe(
      true,
    );
    expect(telemetrySettings(base, { captureContent: true })?.captureContent).toBe(true);
    expect(telemetrySettings({ ...base, OTEL_EXPORTER_OTLP_TIMEOUT: '500' }, undefined)?.exportTimeoutMs).toBe(500);
    expect(telemetrySettings({ ...base, OTEL_EXPORTER_OTLP_TIMEOUT: '30000' }, undefined)?.exportTimeoutMs).toBe(DEFAULT_EXPORT_TIMEOUT_MS);
  });

  it('parseKeyValues reports items that are not key=value', () => {
    const problems: string[] = [];
    expect(parseKeyValues('a=1,,bad,=x,c=%E0%A4%A', problems, 'X')).toEqual({ a: '1', c: '%E0%A4%A' });
    expect(problems).toEqual(['X: "bad" is not key=value, so it was left out', 'X: "=x" is not key=value, so it was left out']);
  });
});
