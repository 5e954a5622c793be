// `mcpsh ask "…"`: one question, answered once, for scripts and CI. Answer on stdout, activity on
// stderr, headless permission rules (never a prompt), documented exit codes. Never loads React.
import type { AgentEvent } from '../agent/events.js';
import { runAskSession } from '../agent/run-ask.js';
import { AppError } from '../errors.js';
import { readAll, readPipedStdin, type Io } from '../io.js';
import { createOpenAIModel } from '../model/openai-model.js';
import { resolveModelSettings } from '../model/settings.js';
import type { GlobalOptions } from '../options.js';
import { RunRecorder, buildSummary, streamJsonPrinter, textPrinter, type OutputFormat } from '../output/ask-printers.js';
import { serverStatusJson } from '../output/servers.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';
import { addSecrets, createStreamRedactor, redact, redactError, redactValue } from '../policy/redact.js';
import { openHost } from './host.js';
import { selectProfile } from '../agent/profile.js';

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
    const recorder = new RunRecorder();
    // JSON prints nothing until the end (the summary, redacted as a whole): its events skip the redaction.
    const print =
      format === 'stream-json'
        ? redacting(streamJsonPrinter(io))
        : format === 'text'
          ? redacting(textPrinter(io, { activity: opts.verbose === true || io.stderr.isTTY === true, quiet: opts.quiet === true }))
          : undefined;
    // The run (servers, session, permission rules, audit, telemetry, exit code) is the agent layer's; printing is ours.
    const result = await runAskSession({
      prompt,
      loaded,
      hub,
      model,
      settings,
      profile,
      flags: opts,
      env: io.env,
      cwd: io.cwd,
      signal: io.signal,
      onEvent: (event) => {
        recorder.record(event);
        print?.(event);
      },
      warn: (line) => io.stderr.write(`${line}\n`),
    });

    const { exitCode } = result;
    const summary = buildSummary(recorder, {
      exitCode,
      model: settings.name,
      agent: profile.name,
      servers: hub.connections.filter((c) => profile.servers.includes(c.name)).map(serverStatusJson),
      samplingUsage: result.samplingUsage,
    });
    if (format === 'json') io.stdout.write(`${jsonText(redactValue(summary), 2)}\n`);
    if (format === 'stream-json') io.stdout.write(`${jsonText(redactValue({ type: 'result', ...summary }))}\n`);
    if (result.error && result.stopReason !== 'completed') {
      io.stderr.write(`mcpsh: ${redact(result.error.message)}\n`);
      if (result.error.hint) io.stderr.write(`  hint: ${redact(result.error.hint)}\n`);
    }
    return exitCode;
  } finally {
    await host.close();
  }
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
    throw new AppError('USAGE', 'ask needs a prompt', {
      hint: 'mcpsh ask "how many customers are there?"  (or pipe text in: cat notes.txt | mcpsh ask "summarise this")',
    });
  }
  if (!piped.trim()) return prompt;
  return prompt ? `${prompt}\n\n<stdin>\n${piped.trimEnd()}\n</stdin>` : piped.trim();
}
