// How names are folded for models (`^[a-zA-Z0-9_-]+$` parts) and which server names that folding would make
// ambiguous. Lives under config so the config check, the tool namer and the permission rules share one fold.

const SEPARATOR = '__';

/** Replace every run of characters the providers reject with one `_`; never returns an empty string. */
export function sanitizeNamePart(s: string): string {
  // Decompose accents first so `café` reads as `cafe` rather than `caf_`.
  const folded = s.normalize('NFKD').replace(/\p{M}+/gu, '');
  const cleaned = folded.replace(/[^a-zA-Z0-9_-]+/g, '_');
  return cleaned === '' ? '_' : cleaned;
}

/**
 * What two server names must not share: their model-facing part, case-folded, with runs of `-` and `_`
 * alike. Names with one key (`db`, `DB`, fullwidth `ｄｂ`, `d.b` and `d-b`) would read the same to a model and
 * to a person writing rules, so the config refuses the second one.
 */
export function serverNameKey(name: string): string {
  return sanitizeNamePart(name.normalize('NFKC')).toLowerCase().replace(/[-_]+/g, '_');
}

/**
 * Why a server name cannot be told apart from the `__` between server and tool (in model-facing names and in
 * permission rules, which split at the first `__`), or undefined when it can.
 */
export function serverNameProblem(name: string): string | undefined {
  const part = sanitizeNamePart(name);
  const shown = part === name ? '' : ` (its model-facing form is "${part}")`;
  if (part.includes(SEPARATOR)) {
    return `"${name}" cannot be a server name: it holds "__"${shown}, the separator between server and tool in tool names and permission rules`;
  }
  if (part.endsWith('_')) {
    return `"${name}" cannot be a server name: it ends in "_"${shown}, so "<server>__<tool>" would not show where the server name ends; end it with a letter or digit`;
  }
  return undefined;
}

/** Pairs of names (first seen, later) that share a serverNameKey. */
export function serverNameClashes(names: readonly string[]): Array<[string, string]> {
  const seen = new Map<string, string>();
  const clashes: Array<[string, string]> = [];
  for (const name of names) {
    const key = serverNameKey(name);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, name);
    else if (first !== name) clashes.push([first, name]);
  }
  return clashes;
}
