// Tool search settings from the config: the `toolSearch` section, each server's `alwaysLoad`, the
// model's description cut and context window, with the documented defaults (docs/configuration.md).
import type { RawConfig } from '../config/schema.js';
import { TOOL_DESCRIPTION_MAX } from '../model/tool-schema.js';

/** OpenAI refuses a request with more tools than this; nothing mcpsh sends ever has more. */
export const HARD_MAX_TOOLS = 128;
/** Assumed when neither the config nor the model's name tells the context window (tokens). */
export const DEFAULT_CONTEXT_WINDOW = 128_000;
export const DEFAULT_MAX_SHARE = 0.1;
export const DEFAULT_SEARCH_LIMIT = 5;
/** Characters per token, for estimating what tool definitions cost. */
export const CHARS_PER_TOKEN = 4;

export interface ToolSearchSettings {
  enabled: 'auto' | boolean;
  /** Most tools in one request (never above HARD_MAX_TOOLS). */
  maxTools: number;
  /** Share of the context window the tool definitions may take. */
  maxShare: number;
  /** Tools one search loads when the model gives no limit. */
  defaultLimit: number;
  /** The model's context window in tokens. */
  contextWindow: number;
  /** Per server: true (every tool) or globs of tool names (as the server names them). */
  alwaysLoad: Readonly<Record<string, true | readonly string[]>>;
  /** Longest description sent to the model; 0 sends whole. */
  maxToolDescription: number;
}

export const DEFAULT_TOOL_SEARCH: ToolSearchSettings = {
  enabled: 'auto',
  maxTools: HARD_MAX_TOOLS,
  maxShare: DEFAULT_MAX_SHARE,
  defaultLimit: DEFAULT_SEARCH_LIMIT,
  contextWindow: DEFAULT_CONTEXT_WINDOW,
  alwaysLoad: {},
  maxToolDescription: TOOL_DESCRIPTION_MAX,
};

/**
 * The settings a config asks for. `contextWindow` is set only when configured (`model.contextWindow`) or
 * given; otherwise the session takes it from the model's name (src/model/context-windows.ts).
 */
export function toolSearchSettings(config: RawConfig, contextWindow?: number): Partial<ToolSearchSettings> {
  const section = config.toolSearch ?? {};
  const model = config.model;
  const configured = typeof model?.contextWindow === 'number' && model.contextWindow > 0 ? model.contextWindow : undefined;
  const alwaysLoad: Record<string, true | readonly string[]> = {};
  for (const [name, entry] of Object.entries(config.mcpServers ?? {})) {
    if (entry.alwaysLoad === true) alwaysLoad[name] = true;
    else if (Array.isArray(entry.alwaysLoad) && entry.alwaysLoad.length > 0) alwaysLoad[name] = entry.alwaysLoad;
  }
  return {
    enabled: section.enabled ?? 'auto',
    maxTools: Math.min(HARD_MAX_TOOLS, section.maxTools ?? HARD_MAX_TOOLS),
    maxShare: section.maxShare ?? DEFAULT_MAX_SHARE,
    defaultLimit: section.defaultLimit ?? DEFAULT_SEARCH_LIMIT,
    ...withContextWindow(contextWindow ?? configured),
    alwaysLoad,
    maxToolDescription: model?.maxToolDescription ?? TOOL_DESCRIPTION_MAX,
  };
}

function withContextWindow(tokens: number | undefined): { contextWindow?: number } {
  return tokens === undefined ? {} : { contextWindow: tokens };
}
