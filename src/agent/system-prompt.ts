// The system prompt: mcpsh's built-in default, then the config's or agent profile's instructions, then
// each server's own MCP `instructions` (labelled, because they come from the server, not the user).

export interface PromptParts {
  /** Instructions from the config (`agents.<name>.instructions`, or a top-level default). */
  instructions?: string;
  servers: ReadonlyArray<{ name: string; instructions?: string }>;
  /** Servers that are configured for this run but not usable now, and why. */
  unavailable?: ReadonlyArray<{ name: string; reason: string }>;
  cwd: string;
  now?: Date;
}

const DEFAULT_PROMPT = `You are mcpsh, an assistant working in a terminal. You can call tools provided by MCP servers; each tool is named <server>__<tool>.
Use tools when they help answer accurately; do not invent results you could look up. When a tool returns an error, read it and try a corrected call or explain the problem.
If a call is denied by the user's permission rules, do not retry it.
Answer concisely. Markdown is fine.`;

export function buildSystemPrompt(parts: PromptParts): string {
  const sections = [
    DEFAULT_PROMPT,
    `Current date: ${(parts.now ?? new Date()).toISOString().slice(0, 10)}. Working directory: ${parts.cwd}.`,
  ];
  if (parts.instructions?.trim()) sections.push(parts.instructions.trim());
  for (const server of parts.servers) {
    const text = server.instructions?.trim();
    if (text) sections.push(`Instructions from the MCP server "${server.name}" (about its tools, prefixed ${server.name}__):\n${text}`);
  }
  if (parts.unavailable && parts.unavailable.length > 0) {
    const lines = parts.unavailable.map((u) => `- ${u.name}: ${u.reason}`);
    sections.push(
      `These servers are unavailable right now, so their tools (${parts.unavailable.map((u) => `${u.name}__*`).join(', ')}) cannot be used; say so if the user needs them:\n${lines.join('\n')}`,
    );
  }
  return sections.join('\n\n');
}
