// What one mcpsh process reports over OpenTelemetry: spans from the agent event stream (an invoke_agent span
// per run, a chat span per model request, an execute_tool span per tool call), an MCP client span per
// tools/call (from the MCP layer's hook), metrics, and notices and errors as log records. Attribute names
// follow the OpenTelemetry GenAI and MCP semantic conventions. Loaded only when telemetry is on.
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  createTraceState,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { AgentEvent } from '../agent/events.js';
import { AppError, errorMessage } from '../errors.js';
import { redact, redactValue } from '../policy/redact.js';
import type { McpCallInfo, McpTelemetry, TraceMeta } from './hook.js';
import { createInstruments, observeServers, type Instruments } from './instruments.js';
import type { Pipeline } from './sdk.js';
import type { TelemetrySettings } from './settings.js';
import type { Telemetry, TelemetryContext } from './types.js';

/** Captured content longer than this is cut (attributes are for reading, not archiving). */
const MAX_CONTENT_CHARS = 16_384;
const PROVIDER = 'openai';
const SERVER = 'mcpsh.server.name';

interface ToolSpan {
  span: Span;
  server: string;
  tool: string;
  mcpStarted: boolean;
}

/** An execute_tool span opened by the MCP layer before the agent's tool_call event reached telemetry. */
interface EarlyToolSpan {
  span: Span;
  server: string;
  tool: string;
}

/** The W3C traceparent of the environment (a CI job's trace) as the parent context, or the root. */
export function parentFromEnv(env: NodeJS.ProcessEnv): Context {
  const match = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(env.TRACEPARENT?.trim().toLowerCase() ?? '');
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2] ?? '') || /^0+$/.test(match[3] ?? '')) return ROOT_CONTEXT;
  const state = env.TRACESTATE?.trim();
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: match[2] ?? '',
    spanId: match[3] ?? '',
    traceFlags: parseInt(match[4] ?? '0', 16) & 1,
    isRemote: true,
    ...(state ? { traceState: createTraceState(state) } : {}),
  });
}

function traceMeta(span: Span): TraceMeta {
  const sc = span.spanContext();
  const meta: TraceMeta = { traceparent: `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & 1).toString(16)}` };
  const state = sc.traceState?.serialize();
  if (state) meta.tracestate = state;
  return meta;
}

/** A low-cardinality error.type: a JSON-RPC error code, mcpsh's error code, or the error's class. */
export function errorType(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof AppError) return err.code.toLowerCase();
  if (typeof code === 'number') return String(code);
  return err instanceof Error && err.name !== 'Error' ? err.name : '_OTHER';
}

function hostAndPort(url: string | null | undefined): Attributes {
  if (!url) return {};
  try {
    const u = new URL(url);
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { 'server.address': u.hostname, 'server.port': port };
  } catch {
    return {};
  }
}

function content(value: unknown): string {
  const text = typeof value === 'string' ? redact(value) : JSON.stringify(redactValue(value));
  return text.length > MAX_CONTENT_CHARS ? `${text.slice(0, MAX_CONTENT_CHARS)}…` : text;
}

function textMessage(role: string, text: string, finishReason?: string): string {
  return content([{ role, parts: [{ type: 'text', content: text }], ...(finishReason ? { finish_reason: finishReason } : {}) }]);
}

export class RunTelemetry implements Telemetry, McpTelemetry {
  private readonly root: Context;
  private readonly instruments: Instruments | undefined;
  private readonly model: Attributes;
  private agent: { span: Span; ctx: Context; text: string } | undefined;
  private chat: { span: Span; started: number; input: number; output: number; cutOff: boolean } | undefined;
  private readonly tools = new Map<string, ToolSpan>();
  // The agent's events reach telemetry a little after they happen, so a tools/call may start before its
  // tool_call event is seen: its execute_tool span is then opened here and taken over by that event.
  private readonly early: EarlyToolSpan[] = [];
  private readonly stopWatching: () => void;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly settings: TelemetrySettings,
    private readonly context: TelemetryContext,
    env: NodeJS.ProcessEnv,
  ) {
    this.root = parentFromEnv(env);
    this.instruments = pipeline.meter ? createInstruments(pipeline.meter) : undefined;
    this.model = {
      'gen_ai.provider.name': PROVIDER,
      ...(context.model ? { 'gen_ai.request.model': context.model.name } : {}),
    };
    const hub = context.hub;
    if (pipeline.meter && hub) observeServers(pipeline.meter, hub);
    this.stopWatching = hub
      ? hub.onStateChange((c) => {
          if (c.state === 'failed')
            this.log('warn', `server ${c.name} failed: ${c.error ?? 'unknown reason'}`, {
              [SERVER]: c.name,
              'mcpsh.server.state': c.state,
            });
          if (c.state === 'restarting')
            this.log('warn', `server ${c.name} is restarting: ${c.error ?? 'connection lost'}`, {
              [SERVER]: c.name,
              'mcpsh.server.state': c.state,
            });
        })
      : () => undefined;
  }

  private get capture(): boolean {
    return this.settings.captureContent;
  }

  private get parent(): Context {
    return this.agent?.ctx ?? this.root;
  }

  private startAgent(): { span: Span; ctx: Context; text: string } {
    if (this.agent) return this.agent;
    const name = this.context.agent ?? 'mcpsh';
    const attributes: Attributes = {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': name,
      ...this.model,
      'mcpsh.command': this.context.command,
    };
    if (this.capture && this.context.prompt !== undefined) attributes['gen_ai.input.messages'] = textMessage('user', this.context.prompt);
    const span =
      this.tracer()?.startSpan(`invoke_agent ${name}`, { kind: SpanKind.INTERNAL, attributes }, this.root) ??
      trace.wrapSpanContext(trace.getSpanContext(this.root) ?? INVALID);
    this.agent = { span, ctx: trace.setSpan(this.root, span), text: '' };
    return this.agent;
  }

  private tracer(): Pipeline['tracer'] {
    return this.pipeline.tracer;
  }

  onEvent(event: AgentEvent): void {
    try {
      this.handle(event);
    } catch {
      // Telemetry never takes a run down.
    }
  }

  private handle(event: AgentEvent): void {
    const agent = this.startAgent();
    switch (event.type) {
      case 'turn_start':
        this.endChat(['tool_calls']);
        this.startChat(agent.ctx, event.turn);
        agent.text = '';
        return;
      case 'text_delta':
        if (this.capture && agent.text.length < MAX_CONTENT_CHARS) agent.text += event.text;
        return;
      case 'usage':
        if (this.chat) {
          this.chat.input += event.inputTokens;
          this.chat.output += event.outputTokens;
        }
        return;
      case 'notice':
        if (/cut off at the model's output token limit/.test(event.message) && this.chat) this.chat.cutOff = true;
        this.log('info', event.message, { 'mcpsh.log.kind': 'notice' });
        return;
      case 'tool_call':
        this.endChat(['tool_calls']);
        this.startTool(agent.ctx, event);
        return;
      case 'tool_result':
        this.endTool(event.callId, event.isError ? 'tool_error' : undefined, () => content(event.structuredContent ?? event.content));
        return;
      case 'tool_denied':
        this.endTool(event.callId, 'denied', undefined, event.reason);
        return;
      case 'done':
        this.finish(event);
        return;
      default:
        return;
    }
  }

  private startChat(parent: Context, turn: number): void {
    const model = this.context.model;
    const attributes: Attributes = { 'gen_ai.operation.name': 'chat', ...this.model, ...hostAndPort(model?.baseURL), 'mcpsh.turn': turn };
    const span = this.tracer()?.startSpan(`chat ${model?.name ?? ''}`.trim(), { kind: SpanKind.CLIENT, attributes }, parent);
    if (span) this.chat = { span, started: performance.now(), input: 0, output: 0, cutOff: false };
    else this.chat = { span: trace.wrapSpanContext(INVALID), started: performance.now(), input: 0, output: 0, cutOff: false };
  }

  private endChat(finishReasons: string[], error?: { type: string; message: string }): void {
    const chat = this.chat;
    if (!chat) return;
    this.chat = undefined;
    const reasons = chat.cutOff ? ['length'] : finishReasons;
    chat.span.setAttributes({
      'gen_ai.usage.input_tokens': chat.input,
      'gen_ai.usage.output_tokens': chat.output,
      ...(error ? {} : { 'gen_ai.response.finish_reasons': reasons }),
    });
    if (error) {
      chat.span.setAttribute('error.type', error.type);
      chat.span.setStatus({ code: SpanStatusCode.ERROR, message: redact(error.message) });
    }
    if (this.capture && this.agent && this.agent.text)
      chat.span.setAttribute('gen_ai.output.messages', textMessage('assistant', this.agent.text, reasons[0]));
    chat.span.end();
    const attributes: Attributes = { 'gen_ai.operation.name': 'chat', ...this.model, ...(error ? { 'error.type': error.type } : {}) };
    this.instruments?.operationDuration.record((performance.now() - chat.started) / 1000, attributes);
    if (chat.input > 0 || chat.output > 0) {
      this.instruments?.tokenUsage.record(chat.input, { ...attributes, 'gen_ai.token.type': 'input' });
      this.instruments?.tokenUsage.record(chat.output, { ...attributes, 'gen_ai.token.type': 'output' });
    }
  }

  private startTool(parent: Context, event: Extract<AgentEvent, { type: 'tool_call' }>): void {
    const attributes: Attributes = {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': event.name,
      'gen_ai.tool.call.id': event.callId,
      'gen_ai.tool.type': 'extension',
      ...(event.server ? { [SERVER]: event.server } : {}),
    };
    if (this.capture) attributes['gen_ai.tool.call.arguments'] = content(event.args);
    const at = this.early.findIndex((e) => e.server === event.server && e.tool === event.tool);
    const early = at === -1 ? undefined : this.early.splice(at, 1)[0];
    if (early) {
      early.span.updateName(`execute_tool ${event.name}`);
      early.span.setAttributes(attributes);
      this.tools.set(event.callId, { span: early.span, server: event.server, tool: event.tool, mcpStarted: true });
      return;
    }
    const span = this.tracer()?.startSpan(`execute_tool ${event.name}`, { kind: SpanKind.INTERNAL, attributes }, parent);
    if (span) this.tools.set(event.callId, { span, server: event.server, tool: event.tool, mcpStarted: false });
  }

  /** The execute_tool span a tools/call belongs to: the agent's, or one opened early for it (see `early`). */
  private ownerOf(info: McpCallInfo): Span | undefined {
    const owner = [...this.tools.values()].find((t) => !t.mcpStarted && t.server === info.server && t.tool === info.tool);
    if (owner) {
      owner.mcpStarted = true;
      return owner.span;
    }
    const tracer = this.tracer();
    if (!this.agent || !tracer) return undefined;
    const attributes: Attributes = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.type': 'extension', [SERVER]: info.server };
    const span = tracer.startSpan(`execute_tool ${info.tool}`, { kind: SpanKind.INTERNAL, attributes }, this.agent.ctx);
    this.early.push({ span, server: info.server, tool: info.tool });
    return span;
  }

  private endTool(callId: string, error: string | undefined, result?: () => string, message?: string): void {
    const tool = this.tools.get(callId);
    if (!tool) return;
    this.tools.delete(callId);
    if (error) {
      tool.span.setAttribute('error.type', error);
      tool.span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message: redact(message) } : {}) });
    } else if (this.capture && result) tool.span.setAttribute('gen_ai.tool.call.result', result());
    tool.span.end();
  }

  private finish(event: Extract<AgentEvent, { type: 'done' }>): void {
    const agent = this.agent;
    const failed = event.reason !== 'completed';
    const error = failed
      ? { type: event.error ? event.error.code.toLowerCase() : event.reason, message: event.error?.message ?? event.reason }
      : undefined;
    this.endChat(['stop'], error);
    for (const id of [...this.tools.keys()]) this.endTool(id, error?.type ?? 'cancelled');
    for (const early of this.early.splice(0)) early.span.end();
    if (failed) this.log('error', error?.message ?? event.reason, { 'mcpsh.log.kind': 'error', 'error.type': error?.type ?? event.reason });
    if (!agent) return;
    this.agent = undefined;
    if (error) {
      agent.span.setAttribute('error.type', error.type);
      agent.span.setStatus({ code: SpanStatusCode.ERROR, message: redact(error.message) });
    }
    if (this.capture && event.text) agent.span.setAttribute('gen_ai.output.messages', textMessage('assistant', event.text));
    agent.span.end();
  }

  async toolCall<T>(info: McpCallInfo, send: (meta: TraceMeta) => Promise<T>): Promise<T> {
    const tracer = this.tracer();
    const started = performance.now();
    const owner = this.ownerOf(info);
    const parent = owner ? trace.setSpan(this.parent, owner) : this.parent;
    const transport = info.transport === 'stdio' ? 'pipe' : 'tcp';
    const attributes: Attributes = {
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': info.tool,
      'gen_ai.operation.name': 'execute_tool',
      'network.transport': transport,
      ...(info.transport !== 'stdio' ? { 'network.protocol.name': 'http', ...hostAndPort(info.url) } : {}),
      [SERVER]: info.server,
    };
    const span = tracer?.startSpan(`tools/call ${info.tool}`, { kind: SpanKind.CLIENT, attributes }, parent);
    const end = (errorTypeValue: string | undefined, message?: string): void => {
      const metricAttributes: Attributes = {
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': info.tool,
        'network.transport': transport,
        [SERVER]: info.server,
      };
      if (errorTypeValue) metricAttributes['error.type'] = errorTypeValue;
      this.instruments?.mcpDuration.record((performance.now() - started) / 1000, metricAttributes);
      if (!span) return;
      const session = safely(() => info.sessionId());
      if (session) span.setAttribute('mcp.session.id', session);
      if (errorTypeValue) {
        span.setAttribute('error.type', errorTypeValue);
        span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message: redact(message) } : {}) });
      }
      span.end();
    };
    let result: T;
    try {
      result = await send(span ? traceMeta(span) : {});
    } catch (err) {
      end(errorType(err), errorMessage(err));
      throw err;
    }
    end((result as { isError?: unknown }).isError === true ? 'tool_error' : undefined);
    return result;
  }

  log(severity: 'info' | 'warn' | 'error', message: string, attributes: Attributes = {}): void {
    const severityNumber = severity === 'error' ? SeverityNumber.ERROR : severity === 'warn' ? SeverityNumber.WARN : SeverityNumber.INFO;
    this.pipeline.logger?.emit({
      severityNumber,
      severityText: severity.toUpperCase(),
      body: redact(message),
      attributes: { 'mcpsh.command': this.context.command, ...attributes },
      context: this.parent,
    });
  }

  async shutdown(capMs: number): Promise<void> {
    this.stopWatching();
    // A run cut short (Ctrl+C, a fatal error) still sends the spans it opened.
    if (this.agent) this.finish({ type: 'done', reason: 'cancelled', text: '' });
    await this.pipeline.shutdown(capMs);
  }
}

const INVALID = { traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 };

function safely(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
