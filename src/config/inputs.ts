// VS Code's `inputs` (a .vscode/mcp.json's `${input:id}` values): what a config declares, which of them still
// need an answer, and the environment variable (MCPSH_INPUT_<ID>) that answers one where nobody can be asked.
import { isRecord } from './validate.js';

/** One entry of a config's `inputs` array, in VS Code's shape ({ id, type: "promptString", description, password }). */
export interface InputSpec {
  id: string;
  description?: string;
  password: boolean;
  /** The file that declares it (the prompt says where the question comes from). */
  file: string;
}

/** Answers given in the chat's prompt, by input id. */
export type InputAnswers = Record<string, string>;

/** `${input:api-key}` is answered by MCPSH_INPUT_API_KEY: the id upper-cased, anything but letters and digits as `_`. */
export function inputVariable(id: string): string {
  return `MCPSH_INPUT_${id.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

/** The well-formed entries of a document's `inputs` (the schema reports malformed ones). */
export function declaredInputs(data: unknown, file: string): InputSpec[] {
  if (!isRecord(data) || !Array.isArray(data.inputs)) return [];
  const out: InputSpec[] = [];
  for (const entry of data.inputs as unknown[]) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') continue;
    out.push({
      id: entry.id,
      ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
      password: entry.password === true,
      file,
    });
  }
  return out;
}

const INPUT_REF = /\$\{input:([^}]*)\}/g;

/** The ids a document's strings name with `${input:id}` (keys and the `inputs` array itself excluded). */
export function referencedInputIds(data: unknown): Set<string> {
  const ids = new Set<string>();
  const walk = (value: unknown, top: boolean): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(INPUT_REF)) ids.add(m[1] ?? '');
    } else if (Array.isArray(value)) {
      for (const v of value) walk(v, false);
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) if (!(top && k === 'inputs')) walk(v, false);
    }
  };
  walk(data, true);
  return ids;
}

/** The inputs a document uses that neither the environment nor earlier answers give a value: the chat asks these. */
export function unansweredInputs(data: unknown, file: string, env: NodeJS.ProcessEnv, answers: InputAnswers): InputSpec[] {
  const used = referencedInputIds(data);
  return declaredInputs(data, file).filter((i) => used.has(i.id) && env[inputVariable(i.id)] === undefined && answers[i.id] === undefined);
}
