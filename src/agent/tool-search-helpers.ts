// Pure helpers of ToolSelection (tool-search.ts): the index document of a tool and whether it changed,
// the alwaysLoad matcher, the rough size of a definition in a request, and the wording of notices.
import picomatch from 'picomatch';
import type { QualifiedTool } from '../mcp/hub.js';
import type { ToolSpec } from '../model/types.js';
import type { ToolDocument } from './tool-search-index.js';
import type { ToolSearchSettings } from './tool-search-settings.js';

const MAX_NAMES_IN_NOTICE = 30;

export function documentOf(t: QualifiedTool): ToolDocument {
  const schema = t.tool.inputSchema as { properties?: unknown } | undefined;
  const props =
    schema && typeof schema.properties === 'object' && schema.properties !== null ? Object.keys(schema.properties).slice(0, 200) : [];
  return {
    name: t.name,
    tool: t.tool.name,
    server: t.server,
    ...(t.tool.title ? { title: t.tool.title } : t.tool.annotations?.title ? { title: t.tool.annotations.title } : {}),
    ...(t.tool.description ? { description: t.tool.description } : {}),
    params: props,
  };
}

export function sameDocument(a: ToolDocument, b: ToolDocument | undefined): boolean {
  return (
    b !== undefined &&
    a.server === b.server &&
    a.tool === b.tool &&
    a.title === b.title &&
    a.description === b.description &&
    a.params.length === b.params.length &&
    a.params.every((p, i) => p === b.params[i])
  );
}

export function alwaysMatcher(config: ToolSearchSettings['alwaysLoad']): (t: QualifiedTool) => boolean {
  const byServer = new Map<string, (tool: string) => boolean>();
  for (const [server, value] of Object.entries(config)) {
    if (value === true) byServer.set(server, () => true);
    else {
      const test = picomatch([...value], { dot: true });
      byServer.set(server, test);
    }
  }
  return (t) => byServer.get(t.server)?.(t.tool.name) === true;
}

/** What one definition costs in the request, roughly. Cached per spec object (specs are cached per tool). */
const sizes = new WeakMap<ToolSpec, number>();
export function specChars(spec: ToolSpec): number {
  let n = sizes.get(spec);
  if (n === undefined) sizes.set(spec, (n = JSON.stringify(spec).length));
  return n;
}

export function nameList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_IN_NOTICE).join(', ');
  return names.length > MAX_NAMES_IN_NOTICE ? `${shown} and ${names.length - MAX_NAMES_IN_NOTICE} more` : shown;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
