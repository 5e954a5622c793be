// OpenTelemetry export of `mcpsh ask`: the built CLI, the scripted model, real MCP servers and an OTLP receiver
// that decodes what arrives (test/fixtures/otlp/receiver.mjs) in both OTLP/HTTP encodings.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Received, type ReceivedSpan, type Receiver } from '../fixtures/otlp/receiver.mjs';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/config.js';
import { fixturePath, freePort, startHttpFixture, type HttpFixture } from '../helpers/fixtures.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';
import { scaled } from '../helpers/time.js';

const node = process.execPath;
const META_ECHO = resolve(ROOT, 'test/fixtures/otlp/meta-echo.mjs');
const models = scriptedModels('telemetry e2e');
const receivers: Receiver[] = [];
const fixtures: HttpFixture[] = [];

afterEach(async () => {
  await models.closeAll();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

async function receiver(options: { hang?: boolean } = {}): Promise<Receiver> {
  const r = await startReceiver(options);
  receivers.push(r);
  return r;
}

const PARENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT_SPAN = 'b7ad6b7169203331';
const SECRET = 'tok-very-secret-4242';

function project(withBroken = true): string {
  return projectWithConfig({
    mcpServers: {
      echo: { command: node, args: [META_ECHO], env: { API_TOKEN: '${SECRET_TOKEN}' } },
      ...(withBroken ? { broken: { command: node, args: [fixturePath('crash-at-start.mjs')] } } : {}),
    },
    permissions: { allow: ['echo__meta', 'echo__echo'] },
  });
}

const script = [
  {
    toolCalls: [
      { id: 'c1', name: 'echo__meta', arguments: {} },
      { id: 'c2', name: 'echo__echo', arguments: { message: `the token is ${SECRET}` } },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5 },
  },
  { text: 'All done.', usage: { prompt_tokens: 20, completion_tokens: 4 } },
];

function telemetryEnv(r: Receiver, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
    OTEL_SERVICE_NAME: 'mcpsh-test',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=ci',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%20def',
    TRACEPARENT: `00-${PARENT_TRACE}-${PARENT_SPAN}-01`,
    SECRET_TOKEN: SECRET,
    ...extra,
  };
}

const complete = (r: Received): boolean =>
  r.spans.some((s) => s.name.startsWith('invoke_agent')) &&
  r.metrics.some((m) => m.name === 'mcpsh.server.calls') &&
  r.logs.some((l) => text(l.body).includes('broken'));

/** A string attribute or log body as it arrived (anything else fails the test where it is used). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function only(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((s) => s.name === name);
  expect(found, `one span named ${name}`).toHaveLength(1);
  return found[0] as ReceivedSpan;
}

describe.each(['http/protobuf', 'http/json'])('mcpsh ask exports OTLP (%s)', (protocol) => {
  it('sends GenAI and MCP spans under the TRACEPARENT, trace context to the server, metrics and logs', async () => {
    const r = await receiver();
    const model = await models.scripted(script);
    const run = await runCli(['ask', 'check the server'], {
      cwd: project(),
      env: { ...modelEnv(model), ...telemetryEnv(r, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }) },
    });
    expect(run).toMatchObject({ code: 0, stdout: 'All done.\n' });
    // Everything is flushed before the process exits.
    expect(complete(r.received)).toBe(true);

    const contentType = protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
    expect(r.requests.every((q) => q.contentType === contentType && q.error === undefined && q.headers['x-api-key'] === 'abc def')).toBe(
      true,
    );

    const { spans } = r.received;
    const agent = only(spans, 'invoke_agent mcpsh');
    expect(agent).toMatchObject({ traceId: PARENT_TRACE, parentSpanId: PARENT_SPAN, kind: 1 });
    expect(agent.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': 'scripted-model',
      'gen_ai.provider.name': 'openai',
    });
    expect(agent.resource).toMatchObject({ 'service.name': 'mcpsh-test', 'deployment.environment': 'ci' });
    expect(spans.every((s) => s.traceId === PARENT_TRACE)).toBe(true);

    const chats = spans.filter((s) => s.name === 'chat scripted-model').sort((a, b) => a.startTimeUnixNano - b.startTimeUnixNano);
    expect(chats).toHaveLength(2);
    expect(chats.map((c) => [c.parentSpanId, c.kind])).toEqual([
      [agent.spanId, 3],
      [agent.spanId, 3],
    ]);
    expect(chats[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.response.finish_reasons': ['tool_calls'],
    });
    expect(chats[1]?.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.response.finish_reasons': ['stop'],
    });

    const tool = only(spans, 'execute_tool echo__meta');
    expect(tool).toMatchObject({ parentSpanId: agent.spanId, kind: 1 });
    expect(tool.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'echo__meta',
      'gen_ai.tool.call.id': 'c1',
      'mcpsh.server.name': 'echo',
    });
    const mcp = only(spans, 'tools/call meta');
    expect(mcp).toMatchObject({ parentSpanId: tool.spanId, kind: 3 });
    expect(mcp.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'meta',
      'network.transport': 'pipe',
      'mcpsh.server.name': 'echo',
    });
    expect(only(spans, 'tools/call echo').parentSpanId).toBe(only(spans, 'execute_tool echo__echo').spanId);

    // The server saw the MCP span as its parent in _meta (the model got the tool's answer back).
    const toolMessage = model.chatRequests()[1]?.body.messages.find((m) => m.role === 'tool' && m.tool_call_id === 'c1');
    expect(JSON.parse(String(toolMessage?.content))).toMatchObject({ traceparent: `00-${PARENT_TRACE}-${mcp.spanId}-01` });

    // No content without capture switched on.
    for (const s of spans) expect(Object.keys(s.attributes).filter((k) => /messages|arguments|result/.test(k))).toEqual([]);

    const metric = (name: string) => r.received.metrics.filter((m) => m.name === name).at(-1);
    const tokens = metric('gen_ai.client.token.usage');
    expect(tokens).toMatchObject({ type: 'histogram', unit: '{token}' });
    const tokenSum = (type: string) =>
      tokens?.points.filter((p) => p.attributes['gen_ai.token.type'] === type).reduce((n, p) => n + (p.sum ?? 0), 0);
    expect([tokenSum('input'), tokenSum('output')]).toEqual([30, 9]);
    expect(metric('gen_ai.client.operation.duration')?.points[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'scripted-model',
    });
    expect(
      metric('mcp.client.operation.duration')
        ?.points.map((p) => [p.attributes['gen_ai.tool.name'], p.attributes['mcpsh.server.name'], p.count])
        .sort(),
    ).toEqual([
      ['echo', 'echo', 1],
      ['meta', 'echo', 1],
    ]);
    const perServer = (name: string): Record<string, number | undefined> =>
      Object.fromEntries<number | undefined>((metric(name)?.points ?? []).map((p) => [text(p.attributes['mcpsh.server.name']), p.value]));
    expect(perServer('mcpsh.server.calls')).toMatchObject({ echo: 2 });
    expect(perServer('mcpsh.server.errors')).toMatchObject({ echo: 0 });
    expect(perServer('mcpsh.server.breaker.state')).toMatchObject({ echo: 0 });
    // Read at exit, after the servers were closed: every server is listed, the broken one never up.
    expect(Object.keys(perServer('mcpsh.server.up')).sort()).toEqual(['broken', 'echo']);
    expect(perServer('mcpsh.server.up').broken).toBe(0);

    const failed = r.received.logs.find((l) => text(l.body).startsWith('server broken failed'));
    expect(failed).toMatchObject({ severityText: 'WARN', attributes: { 'mcpsh.server.name': 'broken' } });
  });
});

describe('mcpsh ask telemetry, content and failure', () => {
  it('exports prompts, arguments and results only with capture on, and masks secrets in them', async () => {
    const r = await receiver();
    const model = await models.scripted(script);
    const run = await runCli(['ask', 'check the server'], {
      cwd: project(),
      env: { ...modelEnv(model), ...telemetryEnv(r, { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }) },
    });
    expect(run.code).toBe(0);
    const agent = only(r.received.spans, 'invoke_agent mcpsh');
    expect(JSON.parse(text(agent.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'check the server' }] },
    ]);
    const echo = only(r.received.spans, 'execute_tool echo__echo');
    expect(JSON.parse(text(echo.attributes['gen_ai.tool.call.arguments']))).toEqual({ message: 'the token is ***' });
    expect(text(echo.attributes['gen_ai.tool.call.result'])).toContain('the token is ***');
    expect(JSON.stringify(r.received)).not.toContain(SECRET);
  });

  it('sends traceparent headers to an HTTP server', async () => {
    const server = await startHttpFixture('basic.mjs', ['--http', '0']);
    fixtures.push(server);
    const r = await receiver();
    const model = await models.scripted([{ toolCalls: [{ id: 'h1', name: 'web__headers', arguments: {} }] }, { text: 'ok' }]);
    const cwd = projectWithConfig({ mcpServers: { web: { url: server.url } }, permissions: { allow: ['web__headers'] } });
    const run = await runCli(['ask', 'headers?'], {
      cwd,
      env: { ...modelEnv(model), OTEL_EXPORTER_OTLP_ENDPOINT: r.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    });
    expect(run.code).toBe(0);
    const mcp = only(r.received.spans, 'tools/call headers');
    expect(mcp.attributes).toMatchObject({
      'network.transport': 'tcp',
      'network.protocol.name': 'http',
      'server.address': '127.0.0.1',
      'mcpsh.server.name': 'web',
    });
    expect(typeof mcp.attributes['mcp.session.id']).toBe('string');
    const toolMessage = model.chatRequests()[1]?.body.messages.find((m) => m.role === 'tool');
    expect(JSON.parse(String(toolMessage?.content))).toMatchObject({ traceparent: `00-${mcp.traceId}-${mcp.spanId}-01` });
  });

  it('a collector that is down or never answers costs the run nothing: exit 0, the answer, nothing on stderr', async () => {
    const hanging = await receiver({ hang: true });
    for (const endpoint of [`http://127.0.0.1:${await freePort()}`, hanging.url]) {
      const model = await models.scripted(script);
      const run = await runCli(['ask', 'check the server'], {
        cwd: project(false),
        env: { ...modelEnv(model), ...telemetryEnv(hanging, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }) },
      });
      expect(run).toMatchObject({ code: 0, stdout: 'All done.\n', stderr: '' });
    }
    expect(hanging.requests.length).toBeGreaterThan(0);
  });

  it('says once on stderr that gRPC is not supported, and sends nothing', async () => {
    const r = await receiver();
    const model = await models.scripted([{ text: 'hi' }]);
    const run = await runCli(['ask', 'hi'], {
      cwd: project(),
      env: { ...modelEnv(model), OTEL_EXPORTER_OTLP_ENDPOINT: r.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
    });
    expect(run.code).toBe(0);
    expect(run.stderr.match(/OTLP protocol "grpc" is not supported/g)).toHaveLength(3);
    expect(r.requests).toEqual([]);
  });
});

describe('telemetry off', () => {
  // A preload records every CommonJS module the process loaded (the OpenTelemetry packages are CommonJS).
  function preload(): { file: string; out: string } {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-otel-off-'));
    const file = join(dir, 'record.cjs');
    const out = join(dir, 'modules.json');
    writeFileSync(
      file,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`,
    );
    return { file, out };
  }

  it(
    'loads no OpenTelemetry module without an endpoint, and does with one',
    async () => {
      const r = await receiver();
      const loaded: Record<string, boolean> = {};
      for (const [label, extra] of [
        ['off', {}],
        ['disabled', { OTEL_EXPORTER_OTLP_ENDPOINT: r.url, OTEL_SDK_DISABLED: 'true' }],
        ['on', { OTEL_EXPORTER_OTLP_ENDPOINT: r.url }],
      ] as const) {
        const { file, out } = preload();
        const model = await models.scripted(script);
        const run = await runCli(['ask', 'check the server'], {
          cwd: project(),
          env: { ...modelEnv(model), SECRET_TOKEN: SECRET, NODE_OPTIONS: `--require ${file}`, ...extra },
        });
        expect(run.code).toBe(0);
        loaded[label] = (JSON.parse(readFileSync(out, 'utf8')) as string[]).some((m) => m.includes('@opentelemetry'));
      }
      expect(loaded).toEqual({ off: false, disabled: false, on: true });
    },
    scaled(60_000),
  );
});
