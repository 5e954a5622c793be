// One `mcpsh ask` run, headless: connects the profile's servers (in the background), builds the session with the
// headless permission rules, runs the prompt, feeds every event to the audit log, telemetry and the caller, and
// decides the exit code. Printing is the caller's (src/commands/ask.ts with src/output/ask-printers.ts): this
// module imports nothing from src/commands, src/ui or src/output.
import { join } from 'node:path';
import { headlessApprovals, type ApprovalPort } from './approvals.js';
import type { AgentEvent, StopReason } from './events.js';
import { promptFor, type Profile } from './profile.js';
import { withResourceTool } from './resource-tool.js';
import { ResultStore } from './result-store.js';
import { RESULT_TOOL_RULES } from './result-tool.js';
import { AgentSession, DEFAULT_MAX_TURNS } from './session.js';
import { DEFAULT_BUDGET } from './tool-result.js';
import { toolSearchSettings } from './tool-search-settings.js';
import { TOOL_SEARCH_RULES } from './tool-search-tool.js';
import type { LoadedConfig } from '../config/types.js';
import { EXIT_CODES, toAppError, type AppError } from '../errors.js';
import { hooksFor } from '../hooks/from-config.js';
import { registerCleanup } from '../lifecycle.js';
import { headlessClientPorts, type SamplingUsage } from '../mcp/client-requests.js';
import type { ServerConnection } from '../mcp/connection.js';
import type { Hub } from '../mcp/hub.js';
import type { ChatModel, ModelSettings } from '../model/types.js';
import { appPaths } from '../paths.js';
import { openAuditSubscriber, type AuditSubscriber } from '../policy/audit-events.js';
import { mergeRules } from '../policy/permissions.js';
import { redact } from '../policy/redact.js';
import { startTelemetry } from '../telemetry/start.js';

export interface AskRunInput {
  prompt: string;
  loaded: LoadedConfig;
  hub: Hub;
  model: ChatModel;
  settings: Pick<ModelSettings, 'name' | 'baseURL' | 'contextWindow' | 'compactAt'>;
  /** The agent profile: its instructions and the servers this run may start and use. */
  profile: Profile;
  /** The command's flags that shape the run. */
  flags: { maxTurns?: number; timeout?: number; allow?: string[]; deny?: string[]; yes?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl+C: the run stops as cancelled. */
  signal: AbortSignal;
  /** Every event of the session, and notices (a server unavailable, a tool left out, a sampling request). */
  onEvent: (event: AgentEvent) => void;
  /** A line for stderr (telemetry settings that were ignored). */
  warn: (line: string) => void;
}

export interface AskRunResult {
  exitCode: number;
  stopReason: StopReason;
  /** Why the run stopped, when it did not complete. */
  error?: AppError;
  /** The model's tokens spent answering servers' sampling requests. */
  samplingUsage: SamplingUsage;
}

/** Runs the prompt to its end. A required server that fails (before or during the run) throws SERVER_UNAVAILABLE. */
export async function runAskSession(input: AskRunInput): Promise<AskRunResult> {
  const { loaded, hub, model, settings, profile, flags, onEvent } = input;
  const audit = openAuditSubscriber(loaded.config, 'ask', input.env, input.cwd);
  if (audit) registerCleanup(() => audit.close());
  const telemetry = await startTelemetry(input.env, loaded.config, {
    command: 'ask',
    model: { name: settings.name, baseURL: settings.baseURL },
    agent: profile.name,
    prompt: input.prompt,
    hub,
    warn: input.warn,
  });

  const deadline = flags.timeout !== undefined ? AbortSignal.timeout(flags.timeout * 1000) : undefined;
  const signal = deadline ? AbortSignal.any([input.signal, deadline]) : input.signal;
  const stopRun = new AbortController();
  const runSignal = AbortSignal.any([signal, stopRun.signal]);
  // Servers may ask for input or a completion; headless, so the config decides and a notice says what happened.
  const samplingUsage: SamplingUsage = { requests: 0, inputTokens: 0, outputTokens: 0 };
  hub.setClientPorts(
    headlessClientPorts({
      elicitation: loaded.config.permissions?.elicitation ?? 'decline',
      samplingServers: new Set(loaded.config.permissions?.sampling ?? []),
      model,
      notice: (message) => onEvent({ type: 'notice', message }),
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

  const results = new ResultStore(join(appPaths(input.env).state, 'results'), redact);
  registerCleanup(() => results.close());
  const session = new AgentSession({
    model,
    host: loaded.config.resourceTool === true ? withResourceTool(hub, hub, () => profile.servers) : hub,
    approve: audited(
      audit,
      headlessApprovals({
        rules: mergeRules(TOOL_SEARCH_RULES, RESULT_TOOL_RULES, loaded.config.permissions, {
          allow: flags.allow ?? [],
          deny: flags.deny ?? [],
        }),
        yes: flags.yes === true,
        autoAllowReadOnly: loaded.config.permissions?.autoAllowReadOnly === true,
      }),
    ),
    systemPrompt: () => promptFor(hub, profile, input.cwd),
    maxTurns: flags.maxTurns ?? loaded.config.maxTurns ?? DEFAULT_MAX_TURNS,
    budget: { ...DEFAULT_BUDGET, images: loaded.config.model?.images !== false },
    toolSearch: toolSearchSettings(loaded.config),
    // Big results are kept whole for this run only: the store is removed when the run ends.
    results,
    context: {
      ...(settings.contextWindow !== undefined ? { contextWindow: settings.contextWindow } : {}),
      ...(settings.compactAt !== undefined ? { compactAt: settings.compactAt } : {}),
    },
    hooks: hooksFor(loaded, input.cwd, input.env),
  });

  const unavailable = (c: ServerConnection): void => {
    if (profile.servers.includes(c.name) && c.state === 'failed')
      onEvent({ type: 'notice', message: `server ${c.name} is unavailable: ${c.error ?? 'unknown reason'}` });
    if (profile.servers.includes(c.name) && c.state === 'ready')
      for (const s of c.skippedTools) onEvent({ type: 'notice', message: `tool ${s.tool} of server ${c.name} left out: ${s.reason}` });
  };
  hub.connections.forEach(unavailable);
  const stopWatching = hub.onStateChange(unavailable);
  let stopReason: StopReason = 'completed';
  let error: AppError | undefined;
  for await (const event of session.run(input.prompt, runSignal)) {
    if (event.type === 'done') {
      stopReason = event.reason;
      error = event.error;
    }
    audit?.onEvent(event);
    telemetry?.onEvent(event);
    onEvent(event);
  }
  stopWatching();
  if (requiredFailure !== undefined) throw toAppError(requiredFailure, 'SERVER_UNAVAILABLE');
  return { exitCode: exitCodeFor(stopReason, error), stopReason, ...(error ? { error } : {}), samplingUsage };
}

function audited(audit: AuditSubscriber | undefined, port: ApprovalPort): ApprovalPort {
  return audit ? audit.approvals(port) : port;
}

/** The documented exit codes of `ask` (docs/scripting.md). */
export function exitCodeFor(stopReason: StopReason, error: AppError | undefined): number {
  switch (stopReason) {
    case 'completed':
      return EXIT_CODES.OK;
    case 'max_turns':
    case 'timeout':
      return EXIT_CODES.TIMEOUT;
    case 'cancelled':
      return EXIT_CODES.CANCELLED;
    case 'error':
      return error?.exitCode ?? EXIT_CODES.MODEL;
  }
}
