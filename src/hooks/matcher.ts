// Which tool calls a hook group's `matcher` selects, as Claude Code reads matchers (so theirs carry over),
// plus globs: all, exact names, a glob, or an unanchored regular expression.

/** Tests the names one tool call goes by (`server__tool`, `mcp__server__tool`). */
export type ToolMatcher = (names: readonly string[]) => boolean;

const EXACT = /^[\w| -]+$/;
const GLOB = /^[\w|*? -]+$/;

export function compileMatcher(matcher: string | undefined): ToolMatcher {
  const text = matcher?.trim() ?? '';
  if (text === '' || text === '*') return () => true;
  if (EXACT.test(text)) {
    const names = new Set(alternatives(text));
    return (candidates) => candidates.some((n) => names.has(n));
  }
  if (GLOB.test(text)) {
    const globs = alternatives(text).map(globToRegExp);
    return (candidates) => candidates.some((n) => globs.some((g) => g.test(n)));
  }
  const regex = new RegExp(text);
  return (candidates) => candidates.some((n) => regex.test(n));
}

function alternatives(text: string): string[] {
  return text
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .replace(/[.+^${}()[\]\\-]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`);
}

/** The names a tool call is matched by: the model's name, the real `server__tool`, and Claude Code's `mcp__server__tool`. */
export function toolNames(call: { name: string; server: string; tool: string; builtin?: true }): string[] {
  const names = new Set([call.name]);
  if (call.server !== '' && call.builtin !== true) {
    names.add(`${call.server}__${call.tool}`);
    names.add(`mcp__${call.server}__${call.tool}`);
  }
  return [...names];
}
