// How many tokens a model's context window holds: the configured `model.contextWindow`, else a table of
// well-known models, else a conservative default (a local or unknown model is assumed small, not large).

/** Assumed for a model this table does not know (Ollama, vLLM, LM Studio … often serve 8k–32k). */
export const DEFAULT_CONTEXT_WINDOW = 32_000;

/** Matched in order against the model name, lower-cased, after any `provider/` prefix (OpenRouter, LiteLLM). */
const KNOWN: ReadonlyArray<readonly [RegExp, number]> = [
  [/^gpt-4\.1/, 1_047_576],
  [/^gpt-4o/, 128_000],
  [/^gpt-5/, 400_000],
  [/^o3(-mini)?(\b|-|$)/, 200_000],
  [/^o4-mini/, 200_000],
  [/^o1(\b|-|$)/, 200_000],
  [/^gpt-4-turbo/, 128_000],
  [/^gpt-3\.5-turbo/, 16_385],
  [/^llama-?3\.[1-3]/, 128_000],
  [/^qwen2\.5/, 32_768],
];

/** The window for `model`: `configured` when given (a positive integer), else the table, else the default. */
export function contextWindowFor(model: string, configured?: number): number {
  if (configured !== undefined && Number.isInteger(configured) && configured > 0) return configured;
  const bare = model.toLowerCase().replace(/^.*\//, '');
  for (const [pattern, tokens] of KNOWN) if (pattern.test(bare)) return tokens;
  return DEFAULT_CONTEXT_WINDOW;
}

/** Compaction starts when a request would fill more than this share of the window (`model.compactAt`). */
export const DEFAULT_COMPACT_AT = 0.8;
