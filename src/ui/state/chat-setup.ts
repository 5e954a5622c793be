// What the chat is started with (src/commands/chat.ts builds it): the hub, the loaded config, where chats are
// saved and which saved chat to continue.
import type { ContextSettings } from '../../agent/context-budget.js';
import type { SavedTranscript } from '../../agent/transcript-store.js';
import type { RawConfig } from '../../config/schema.js';
import type { LoadedConfig } from '../../config/types.js';
import type { HookRunner } from '../../hooks/runner.js';
import type { Hub } from '../../mcp/hub.js';
import type { Telemetry } from '../../telemetry/start.js';

export interface ChatSetup {
  hub: Hub;
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The process-wide signal (SIGTERM and the like). */
  signal: AbortSignal;
  agent?: string;
  modelFlags: { model?: string; baseUrl?: string };
  maxTurns?: number;
  /** Where the conversation is saved as it happens (JSONL per chat). */
  transcripts?: string;
  /** A saved chat to continue. */
  resumed?: SavedTranscript;
  /** Hooks of the trusted configs (src/hooks/from-config.ts): one runner for the whole chat. */
  hooks?: HookRunner | undefined;
  /** OpenTelemetry export (src/telemetry), when it is on: fed every agent event. */
  telemetry?: Telemetry | undefined;
}

/** The session's context settings from the config's `model` section: only what it sets (unset: known from the model's name). */
export function contextSettings(model: RawConfig['model']): ContextSettings {
  return {
    ...(model?.contextWindow !== undefined ? { contextWindow: model.contextWindow } : {}),
    ...(model?.compactAt !== undefined ? { compactAt: model.compactAt } : {}),
  };
}
