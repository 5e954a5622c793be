// Tab completion beyond the command table: `@server:` and resource URIs in a message, server prompt
// commands and their `arg=` names, and argument values from the server (completion/complete).
import type { Prompt } from '../../mcp/types.js';
import type { Hub } from '../../mcp/hub.js';
import type { FeatureIndex } from '../state/feature-index.js';
import type { Completion } from './input-bridge.js';

/**
 * Replaces the `typed` end of `text` with the one option, or the options' common prefix (listing them).
 * A lone option gets a space after it unless it ends where more is typed (`=`, `:`, `/`).
 */
export function finishCompletion(text: string, typed: string, options: readonly string[]): Completion {
  const head = text.slice(0, text.length - typed.length);
  if (options.length === 0) return { text, candidates: [] };
  if (options.length === 1) {
    const only = options[0] ?? '';
    return { text: `${head}${only}${/[=:/]$/.test(only) ? '' : ' '}`, candidates: [] };
  }
  const common = commonPrefix(options);
  return { text: common.length > typed.length ? `${head}${common}` : text, candidates: [...options] };
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Shell-like words: spaces separate, single or double quotes keep spaces (`city="New York"`). */
export function splitWords(text: string): { words: string[]; unclosed: boolean; endsInSpace: boolean } {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word = (word ?? '') + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) words.push(word);
  return { words, unclosed: quote !== undefined, endsInSpace: quote === undefined && /\s$/.test(text) };
}

/** A value as it must be typed: quoted when it has spaces or quotes. */
export function quoteValue(value: string): string {
  if (value !== '' && !/[\s"']/.test(value)) return value;
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/** The usage line of a prompt command: required arguments plain, optional ones in brackets. */
export function promptUsage(server: string, prompt: Prompt): string {
  const args = (prompt.arguments ?? []).map((a) => (a.required === true ? `${a.name}=…` : `[${a.name}=…]`));
  return [`/${server}:${prompt.name}`, ...args].join(' ');
}

/** `@` then server names; `@server:` then that server's resource URIs (and template prefixes). */
export async function completeAttachment(text: string, features: FeatureIndex): Promise<Completion> {
  const typed = /(?:^|\s)(@\S*)$/.exec(text)?.[1];
  if (typed === undefined) return { text, candidates: [] };
  const servers = features.resourceServers();
  const server = [...servers].sort((a, b) => b.length - a.length).find((s) => typed.startsWith(`@${s}:`));
  if (server === undefined) {
    return finishCompletion(
      text,
      typed,
      servers.map((s) => `@${s}:`).filter((o) => o.startsWith(typed)),
    );
  }
  await features.ensure(server);
  const { items, templates } = features.resourcesOf(server);
  // A template offers the part before its first variable, so the person types the rest.
  const prefixes = templates.map((t) => t.uriTemplate.split('{')[0] ?? '').filter((p) => p !== '');
  const options = [...new Set([...items.map((r) => r.uri), ...prefixes])]
    .map((uri) => `@${server}:${uri}`)
    .filter((o) => o.startsWith(typed));
  return finishCompletion(text, typed, options);
}

/** After `/server:prompt `: argument names not given yet (`name=`), or after `name=` the server's values. */
export async function completePromptArgs(text: string, hub: Hub, server: string, prompt: Prompt): Promise<Completion> {
  const rest = text.slice(text.indexOf(' ') + 1);
  const { words, endsInSpace } = splitWords(rest);
  const partial = endsInSpace ? '' : (words.at(-1) ?? '');
  const given = pairs(endsInSpace ? words : words.slice(0, -1));
  const typed = endsInSpace ? '' : (/(\S+)$/.exec(text)?.[1] ?? '');
  const eq = partial.indexOf('=');
  if (eq === -1) {
    const names = (prompt.arguments ?? []).map((a) => a.name).filter((n) => given[n] === undefined && n.startsWith(partial));
    return finishCompletion(
      text,
      typed,
      names.map((n) => `${n}=`),
    );
  }
  const name = partial.slice(0, eq);
  const values = await argumentValues(hub, server, prompt.name, name, partial.slice(eq + 1), given);
  return finishCompletion(
    text,
    typed,
    values.map((v) => `${name}=${quoteValue(v)}`),
  );
}

/** What the server suggests for one argument; nothing when it offers no completion or fails. */
export async function argumentValues(
  hub: Hub,
  server: string,
  prompt: string,
  name: string,
  value: string,
  context: Record<string, string>,
): Promise<string[]> {
  try {
    const result = await hub.complete(
      server,
      { type: 'ref/prompt', name: prompt },
      { name, value, ...(Object.keys(context).length > 0 ? { context } : {}) },
    );
    return result.values.slice(0, 100);
  } catch {
    return [];
  }
}

/** `key=value` words as a record; words without `=` are left out (the command reports them). */
export function pairs(words: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) out[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return out;
}
