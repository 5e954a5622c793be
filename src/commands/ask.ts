// `mcpsh ask "…"`: one question, answered once, for scripts and CI. Answer on stdout, activity on
// stderr, headless permission rules (never a prompt), documented exit codes. Never loads React.
import { headlessApprovals } from '../agent/approvals.js';
import { AgentSession } from '../agent/session.js';
import { buildSystemPrompt } from '../agent/system-prompt.js';
import { DEFAULT_BUDGET } from '../agent/tool-result.js';
import type { GlobalOptions } from '../cli.js';
import { AppError, EXIT_CODES } from '../errors.js';
import { readAll, readPipedStdin, type Io } from '../io.js';
import { createOpenAIModel } from '../model/openai-model.js';
import { resolveModelSettings } from '../model/settings.js';
import { RunRecorder, buildSummary, streamJsonPrinter, textPrinter, type OutputFormat } from '../output/ask-printers.js';
import type { Hub } from '../mcp/hub.js';
import { serverStatusJson } from '../output/servers.js';
import { mergeRules } from '../policy/permissions.js';
import { openHost } from './host.js';
import { selectProfile, type Profile } from './profile.js';

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

const DEFAULT_MAX_TURNS = 20;
/** How long `ask "prompt"` waits for the first byte of a piped stdin before going on without it. */
const STDIN_FIRST_BYTE_MS = 300;

export async function runAsk(promptWords: string[], opts: AskOptions, io: Io): Promise<number> {
  const format = opts.output ?? 'text';
  const prompt = await readPrompt(promptWords, opts, io);
  const host = await openHost(opts, io);
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

    const deadline = opts.timeout !== undefined ? AbortSignal.timeout(opts.timeout * 1000) : undefined;
    const signal = deadline ? AbortSignal.any([io.signal, deadline]) : io.signal;
    await hub.connectAll({ signal, only: profile.servers, failFastOnRequired: true });
    const notices: string[] = [];
    for (const c of hub.connections) {
      if (profile.servers.includes(c.name) && c.state === 'failed') notices.push(`server ${c.name} is unavailable: ${c.error ?? 'unknown reason'}`);
    }

    const session = new AgentSession({
      model,
      host: hub,
      approve: headlessApprovals({
        rules: mergeRules(loaded.config.permissions, { allow: opts.allow ?? [], deny: opts.deny ?? [] }),
        yes: opts.yes === true,
      }),
      systemPrompt: () => promptFor(hub, profile, io.cwd),
      maxTurns: opts.maxTurns ?? loaded.config.maxTurns ?? DEFAULT_MAX_TURNS,
      budget: { ...DEFAULT_BUDGET, images: loaded.config.model?.images !== false },
    });

    const recorder = new RunRecorder();
    const print =
      format === 'stream-json'
        ? streamJsonPrinter(io)
        : format === 'text'
          ? textPrinter(io, { activity: opts.verbose === true || io.stderr.isTTY === true, quiet: opts.quiet === true })
          : () => undefined;
    for (const message of notices) print({ type: 'notice', message });
    for await (const event of session.run(prompt, signal)) {
      recorder.record(event);
      print(event);
    }

    const exitCode = exitCodeFor(recorder);
    const summary = buildSummary(recorder, {
      exitCode,
      model: settings.name,
      agent: profile.name,
      servers: hub.connections.filter((c) => profile.servers.includes(c.name)).map(serverStatusJson),
    });
    if (format === 'json') io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (format === 'stream-json') io.stdout.write(`${JSON.stringify({ type: 'result', ...summary })}\n`);
    if (recorder.error && recorder.stopReason !== 'completed') {
      io.stderr.write(`mcpsh: ${recorder.error.message}\n`);
      if (recorder.error.hint) io.stderr.write(`  hint: ${recorder.error.hint}\n`);
    }
    return exitCode;
  } finally {
    await host.close();
  }
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

/** Re-evaluated every turn: servers that restart or fail meanwhile are described as they are now. */
export function promptFor(hub: Hub, profile: Profile, cwd: string): string {
  const mine = hub.connections.filter((c) => profile.servers.includes(c.name));
  return buildSystemPrompt({
    ...(profile.instructions ? { instructions: profile.instructions } : {}),
    servers: mine.filter((c) => c.state === 'ready').map((c) => ({ name: c.name, ...(c.instructions ? { instructions: c.instructions } : {}) })),
    unavailable: mine.filter((c) => c.state !== 'ready').map((c) => ({ name: c.name, reason: c.state === 'failed' ? (c.error ?? 'failed') : c.state })),
    cwd,
  });
}
