// ${VAR} and ${VAR:-default} in config strings (not keys); $$ is a literal $.
// Unresolvable references are returned as problems with their JSON path; the caller decides how bad each one is.

export type JsonPath = (string | number)[];

export interface RefProblem {
  path: JsonPath;
  /** The reference as written, e.g. ${CRM_TOKEN}. */
  ref: string;
  /** The variable name, when the reference is well-formed but the variable is unset. */
  variable?: string;
  /** A short description of what is wrong, without the path. */
  reason: string;
}

export interface Interpolated<T> {
  value: T;
  /** Values that came from the environment: secrets until proven otherwise. */
  fromEnv: string[];
  problems: RefProblem[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface StringResult {
  value: string;
  fromEnv: string[];
  problems: Omit<RefProblem, 'path'>[];
}

/** Index of the `}` that closes the `${` starting at `start`, honouring nested `${...}` in defaults. */
export function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth += 1;
      i += 1;
    } else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export function interpolateString(text: string, env: NodeJS.ProcessEnv): StringResult {
  const fromEnv: string[] = [];
  const problems: StringResult['problems'] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === '$' && next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (ch !== '$' || next !== '{') {
      out += ch;
      i += 1;
      continue;
    }
    const end = closingBrace(text, i);
    if (end < 0) {
      problems.push({ ref: text.slice(i), reason: `"${text.slice(i)}" has no closing "}"` });
      return { value: text, fromEnv, problems };
    }
    const ref = text.slice(i, end + 1);
    const body = ref.slice(2, -1);
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      problems.push({ ref, reason: `${ref} is not a supported reference (use \${VAR} or \${VAR:-default}; write $$ for a literal $)` });
      return { value: text, fromEnv, problems };
    }
    const set = env[name];
    if (sep >= 0 && (set === undefined || set === '')) {
      // Like the shell: the default applies when the variable is unset or empty; it may itself hold references.
      const inner = interpolateString(body.slice(sep + 2), env);
      fromEnv.push(...inner.fromEnv);
      problems.push(...inner.problems);
      out += inner.value;
    } else if (set === undefined) {
      problems.push({ ref, variable: name, reason: `\${${name}} is not set` });
    } else {
      if (set !== '') fromEnv.push(set);
      out += set;
    }
    i = end + 1;
  }
  return problems.length > 0 ? { value: text, fromEnv, problems } : { value: out, fromEnv, problems };
}

/** Interpolates every string value in a JSON-like tree; keys are left alone. Returns a new tree. */
export function interpolateTree(value: unknown, env: NodeJS.ProcessEnv, path: JsonPath = []): Interpolated<unknown> {
  if (typeof value === 'string') {
    const r = interpolateString(value, env);
    return { value: r.value, fromEnv: r.fromEnv, problems: r.problems.map((p) => ({ ...p, path })) };
  }
  const fromEnv: string[] = [];
  const problems: RefProblem[] = [];
  const take = (v: unknown, p: JsonPath): unknown => {
    const r = interpolateTree(v, env, p);
    fromEnv.push(...r.fromEnv);
    problems.push(...r.problems);
    return r.value;
  };
  if (Array.isArray(value)) {
    return { value: value.map((v: unknown, idx) => take(v, [...path, idx])), fromEnv, problems };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = take(v, [...path, k]);
    return { value: out, fromEnv, problems };
  }
  return { value, fromEnv, problems };
}
