// `mcpsh ask "…"`: one question, answered once, for scripts and CI. Answer on stdout, activity on
// stderr, headless permission rules (never a prompt), documented exit codes. Never loads React.
import { join } from 'node:path';
import { headlessApprovals, type ApprovalPort } from '../agent/approvals.js';
import type { AgentEvent } from '../agent/events.js';
import { withResourceTool } from '../agent/resource-tool.js';
import { AgentSession, DEFAULT_MAX_TURNS } from '../agent/session.js';
import { ResultStore } from '../agent/result-store.js';
import { RESULT_TOOL_RULES } from '../agent/result-tool.js';
import { appPaths } from '../paths.js';
import { TOOL_SEARCH_RULES } from '../agent/tool-search-tool.js';
import { toolSearchSettings } from '../agent/tool-search-settings.js';
import { DEFAULT_BUDGET } from '../agent/tool-result.js';
import type { GlobalOptions } from '../cli.js';
import { AppError, EXIT_CODES, toAppError } from '../errors.js';
import { readAll, readPipedStdin, type Io } from '../io.js';
import { createOpenAIModel } from '../model/openai-model.js';
import { resolveModelSettings } from '../model/settings.js';
import { RunRecorder, buildSummary, streamJsonPrinter, textPrinter, type OutputFormat } from '../output/ask-printers.js';
import type { ServerConnection } from '../mcp/connection.js';
import { headlessClientPorts, type SamplingUsage } from '../mcp/client-requests.js';
import { serverStatusJson } from '../output/servers.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';
import { registerCleanup } from '../lifecycle.js';
import { openAuditSubscriber, type AuditSubscriber } from '../policy/audit-events.js';
import { mergeRules } from '../policy/permissions.js';
import { addSecrets, createStreamRedactor, redact, redactError, redactValue } from '../policy/redact.js';
import { openHost } from './host.js';
import { promptFor, selectProfile } from './profile.js';

export interface AskOptions extends GlobalOptions {
  model?: string;
  baseUrl?: string;
  agent?: string;
  server?: string[];
  maxTurns?: number;
  timeout?: number;
  output?: OutputFormat;
  allow?: string[];
  deny?: string[];
  yes?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  stdin?: boolean;
}

/** How long `ask "prompt"` waits for the first byte of a piped stdin before going on without it. */
const STDIN_FIRST_BYTE_MS = 300;

export async function runAsk(promptWords: string[], opts: AskOptions, rawIo: Io): Promise<number> {
  // The answer, activity and errors pass the output boundary (src/output/terminal-io.ts); JSON uses jsonText.
  const io = textIo(rawIo);
  const format = opts.output ?? 'text';
  const prompt = await readPrompt(promptWords, opts, io);
  // No config, or none with servers: the model alone answers (as every peer does).
  const host = await openHost(opts, io, { allowNoServers: true });
  try {
    const { loaded, hub } = host;
    const profile = selectProfile(loaded, opts.agent, opts.server);
    // The model is checked before any server starts: a missing API key should not cost a spawn.
    const settings = resolveModelSettings({
      ...(loaded.config.model ? { config: loaded.config.model } : {}),
      ...(profile.model ? { agentModel: profile.model } : {}),
      modelProblems: loaded.modelProblems,
      flags: { ...(opts.model ? { model: opts.model } : {}), ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}) },
      env: io.env,
    });
    const model = createOpenAIModel(settings);
    addSecrets([settings.apiKey]);
    const audit = openAuditSubscriber(loaded.config, 'ask', io.env, io.cwd);
    if (audit) registerCleanup(() => audit.close());

    const recorder = new RunRecorder();
    const print = redacting(
      format === 'stream-json'
        ? streamJsonPrinter(io)
        : format === 'text'
          ? textPrinter(io, { activity: opts.verbose === true || io.stderr.isTTY === true, quiet: opts.quiet === true })
          : () => undefined,
    );
    const deadline = opts.timeout !== undefined ? AbortSignal.timeout(opts.timeout * 1000) : undefined;
    const signal = deadline ? AbortSignal.any([io.signal, deadline]) : io.signal;
    const stopRun = new AbortController();
    const runSignal = AbortSignal.any([signal, stopRun.signal]);
    // Servers may ask for input or a completion; headless, so the config decides and a notice says what happened.
    const samplingUsage: SamplingUsage = { requests: 0, inputTokens: 0, outputTokens: 0 };
    hub.setClientPorts(
      headlessClientPorts({
        elicitation: loaded.config.permissions?.elicitation ?? 'decline',
        samplingServers: new Set(loaded.config.permissions?.sampling ?? []),
        model,
        notice: (message) => print({ type: 'notice', message }),
        signal: runSignal,
        usage: samplingUsage,
      }),
    );

    // Servers connect in the background; the first model request waits only for servers with no
    // remembered tool list. A required server that fails stops the run, even after it started.
    let requiredFailure: unknown;
    const connecting = hub.connectAll({ signal, only: profile.servers, failFastOnRequired: true }).catch((err: unknown) => {
      requiredFailure = err;
      stopRun.abort(err);
    });
    await Promise.race([connecting, hub.whenUsable(profile.servers, signal)]);
    if (requiredFailure !== undefined) throw toAppError(requiredFailure, 'SERVER_UNAVAILABLE');

    const results = new ResultStore(join(appPaths(io.env).state, 'results'), redact);
    registerCleanup(() => results.close());
    const session = new AgentSession({
      model,
      host: loaded.config.resourceTool === true ? withResourceTool(hub, hub, () => profile.servers) : hub,
      approve: audited(
        audit,
        headlessApprovals({
          rules: mergeRules(TOOL_SEARCH_RULES, RESULT_TOOL_RULES, loaded.config.permissions, { allow: opts.allow ?? [], deny: opts.deny ?? [] }),
          yes: opts.yes === true,
          autoAllowReadOnly: loaded.config.permissions?.autoAllowReadOnly === true,
        }),
      ),
      systemPrompt: () => promptFor(hub, profile, io.cwd),
      maxTurns: opts.maxTurns ?? loaded.config.maxTurns ?? DEFAULT_MAX_TURNS,
      budget: { ...DEFAULT_BUDGET, images: loaded.config.model?.images !== false },
      toolSearch: toolSearchSettings(loaded.config),
      // Big results are kept whole for this run only: the store is removed when the run ends.
      results,
      context: { contextWindow: settings.contextWindow, compactAt: settings.compactAt },
    });

    const unavailable = (c: ServerConnection): void => {
      if (profile.servers.includes(c.name) && c.state === 'failed') print({ type: 'notice', message: `server ${c.name} is unavailable: ${c.error ?? 'unknown reason'}` });
      if (profile.servers.includes(c.name) && c.state === 'ready') for (const s of c.skippedTools) print({ type: 'notice', message: `tool ${s.tool} of server ${c.name} left out: ${s.reason}` });
    };
    hub.connections.forEach(unavailable);
    const stopWatching = hub.onStateChange(unavailable);
    for await (const event of session.run(prompt, runSignal)) {
      recorder.record(event);
      audit?.onEvent(event);
      print(event);
    }
    stopWatching();
    if (requiredFailure !== undefined) throw toAppError(requiredFailure, 'SERVER_UNAVAILABLE');

    const exitCode = exitCodeFor(recorder);
    const summary = buildSummary(recorder, {
      exitCode,
      model: settings.name,
      agent: profile.name,
      servers: hub.connections.filter((c) => profile.servers.includes(c.name)).map(serverStatusJson),
      samplingUsage,
    });
    if (format === 'json') io.stdout.write(`${jsonText(redactValue(summary), 2)}\n`);
    if (format === 'stream-json') io.stdout.write(`${jsonText(redactValue({ type: 'result', ...summary }))}\n`);
    if (recorder.error && recorder.stopReason !== 'completed') {
      io.stderr.write(`mcpsh: ${redact(recorder.error.message)}\n`);
      if (recorder.error.hint) io.stderr.write(`  hint: ${redact(recorder.error.hint)}\n`);
    }
    return exitCode;
  } finally {
    await host.close();
  }
}

function audited(audit: AuditSubscriber | undefined, port: ApprovalPort): ApprovalPort {
  return audit ? audit.approvals(port) : port;
}

/** The printer behind a filter that masks the config's secrets in every event (streamed text included). */
function redacting(print: (event: AgentEvent) => void): (event: AgentEvent) => void {
  const text = createStreamRedactor();
  return (event) => {
    if (event.type === 'text_delta') {
      const safe = text.push(event.text);
      if (safe) print({ ...event, text: safe });
      return;
    }
    const rest = text.flush();
    if (rest) print({ type: 'text_delta', text: rest });
    if (event.type === 'done') {
      print({ ...event, text: redact(event.text), ...(event.error ? { error: redactError(event.error) } : {}) });
      return;
    }
    print(redactValue(event));
  };
}

function exitCodeFor(recorder: RunRecorder): number {
  switch (recorder.stopReason) {
    case 'completed':
      return EXIT_CODES.OK;
    case 'max_turns':
    case 'timeout':
      return EXIT_CODES.TIMEOUT;
    case 'cancelled':
      return EXIT_CODES.CANCELLED;
    case 'error':
      return recorder.error?.exitCode ?? EXIT_CODES.MODEL;
  }
}

/** The prompt from the words, or stdin with `-`; piped stdin is attached to a prompt given as words. */
async function readPrompt(words: string[], opts: AskOptions, io: Io): Promise<string> {
  if (words.length === 1 && words[0] === '-') {
    const text = (await readAll(io.stdin)).trim();
    if (!text) throw new AppError('USAGE', 'ask - reads the prompt from stdin, but stdin was empty');
    return text;
  }
  const prompt = words.join(' ').trim();
  const piped = opts.stdin === false ? '' : await readPipedStdin(io.stdin, STDIN_FIRST_BYTE_MS);
  if (!prompt && !piped.trim()) {
    throw new AppError('USAGE', 'ask needs a prompt', { hint: 'mcpsh ask "how many customers are there?"  (or pipe text in: cat notes.txt | mcpsh ask "summarise this")' });
  }
  if (!piped.trim()) return prompt;
  return prompt ? `${prompt}\n\n<stdin>\n${piped.trimEnd()}\n</stdin>` : piped.trim();
}
