// How deep JSON from outside (servers, models) may nest. Parsing is safe at any depth, but everything
// after it (JSON.stringify, ajv, redaction, our schema walkers) recurses and overflows the stack on
// values nested many thousands deep; inbound values are checked here, without recursion, and refused.

/**
 * The deepest nesting accepted from a server or a model (objects and arrays, counted from the top of the
 * value checked). Real tool schemas and results stay far below it; ajv still compiles schemas this deep.
 */
export const MAX_JSON_DEPTH = 256;

/** True when `value` has objects or arrays nested more than `max` levels (a scalar is depth 0). Iterative. */
export function exceedsJsonDepth(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const node = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > max) return true;
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * The same check on JSON text, without parsing it: the deepest bracket nesting outside strings. Text that is
 * not valid JSON is still measured; whether it parses is its reader's business.
 */
export function exceedsJsonTextDepth(text: string, max: number = MAX_JSON_DEPTH): boolean {
  // Cheap exit: nesting deeper than max needs more than max opening brackets.
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

/** The words every refusal uses ("… is JSON nested deeper than 256 levels"), the same everywhere. */
export function nestedTooDeep(max: number = MAX_JSON_DEPTH): string {
  return `JSON nested deeper than ${max} levels`;
}
