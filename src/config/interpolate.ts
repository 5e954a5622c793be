// ${VAR} and ${VAR:-default} in config strings (not keys); $$ is a literal $. With a RefContext, also VS Code's
// ${workspaceFolder}, ${userHome}, ${env:NAME} and ${input:id}, so a .vscode/mcp.json works as VS Code reads it.
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
  /** Set for an `${input:id}` with no value: the input's id (an error in the config, not in one server). */
  input?: string;
}

/** What VS Code's variables stand for in one config file. */
export interface RefContext {
  /** `${workspaceFolder}`: the folder holding .vscode/ (or .cursor/), else the config file's folder. */
  workspaceFolder: string;
  /** `${userHome}`. */
  userHome: string;
  /** `${input:id}`: undefined when the config declares no such input; else its value (if any) and where one comes from. */
  input: (id: string) => { value?: string; variable: string; secret: boolean } | undefined;
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

/** A VS Code variable's value or problem; undefined when `body` is not one (then it is an mcpsh ${VAR}). */
function vscodeVariable(
  body: string,
  ref: string,
  env: NodeJS.ProcessEnv,
  ctx: RefContext,
): { value: string; secret: boolean } | { problem: Omit<RefProblem, 'path'> } | undefined {
  if (body === 'workspaceFolder') return { value: ctx.workspaceFolder, secret: false };
  if (body === 'userHome') return { value: ctx.userHome, secret: false };
  if (body.startsWith('env:')) {
    const name = body.slice(4);
    if (!NAME.test(name)) return { problem: { ref, reason: `${ref} is not a supported reference (\${env:NAME} takes a variable name)` } };
    // Unlike VS Code (which reads an unset variable as ""), an unset one is a problem, as for ${NAME}.
    const set = env[name];
    return set === undefined ? { problem: { ref, variable: name, reason: `${ref} is not set` } } : { value: set, secret: set !== '' };
  }
  if (body.startsWith('input:')) {
    const id = body.slice(6);
    const input = ctx.input(id);
    if (!input)
      return {
        problem: {
          ref,
          input: id,
          reason: `${ref} names no input: declare { "id": ${JSON.stringify(id)}, "type": "promptString" } in the top-level "inputs"`,
        },
      };
    if (input.value === undefined) {
      return {
        problem: {
          ref,
          input: id,
          variable: input.variable,
          reason: `input "${id}" (${ref}) has no value: set ${input.variable}, or answer it when the chat starts`,
        },
      };
    }
    return { value: input.value, secret: input.secret && input.value !== '' };
  }
  return undefined;
}

export function interpolateString(text: string, env: NodeJS.ProcessEnv, ctx?: RefContext): StringResult {
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
    const special = ctx ? vscodeVariable(body, ref, env, ctx) : undefined;
    if (special && 'problem' in special) {
      problems.push(special.problem);
      i = end + 1;
      continue;
    }
    if (special) {
      if (special.secret) fromEnv.push(special.value);
      out += special.value;
      i = end + 1;
      continue;
    }
    if (!NAME.test(name)) {
      problems.push({ ref, reason: `${ref} is not a supported reference (use \${VAR} or \${VAR:-default}; write $$ for a literal $)` });
      return { value: text, fromEnv, problems };
    }
    const set = env[name];
    if (sep >= 0 && (set === undefined || set === '')) {
      // Like the shell: the default applies when the variable is unset or empty; it may itself hold references.
      const inner = interpolateString(body.slice(sep + 2), env, ctx);
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
export function interpolateTree(value: unknown, env: NodeJS.ProcessEnv, path: JsonPath = [], ctx?: RefContext): Interpolated<unknown> {
  if (typeof value === 'string') {
    const r = interpolateString(value, env, ctx);
    return { value: r.value, fromEnv: r.fromEnv, problems: r.problems.map((p) => ({ ...p, path })) };
  }
  const fromEnv: string[] = [];
  const problems: RefProblem[] = [];
  const take = (v: unknown, p: JsonPath): unknown => {
    const r = interpolateTree(v, env, p, ctx);
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
