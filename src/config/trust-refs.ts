// The environment variables a config reads: every ${VAR} and ${VAR:-default} (and references inside defaults)
// in every string of the raw document, with its JSON path, so the trust review can say where each value goes.
import { isCredentialName } from './secrets.js';
import { inputVariable } from './inputs.js';
import { closingBrace, type JsonPath } from './interpolate.js';

export interface VarRef {
  variable: string;
  path: JsonPath;
  /** The reference as written, e.g. ${BASE:-http://localhost}. */
  ref: string;
  /** Read only when an enclosing reference's variable is unset or empty (it sits in a :- default). */
  fallback: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The references in one string, in order; `$$` is a literal `$` and starts none. */
export function refsInString(text: string, fallback = false): Omit<VarRef, 'path'>[] {
  const out: Omit<VarRef, 'path'>[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i += 2;
      continue;
    }
    if (text[i] !== '$' || text[i + 1] !== '{') {
      i += 1;
      continue;
    }
    const end = closingBrace(text, i);
    if (end < 0) return out;
    const ref = text.slice(i, end + 1);
    const body = ref.slice(2, -1);
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    // VS Code's variables (src/config/interpolate.ts): ${env:NAME} reads NAME; ${input:id} reads MCPSH_INPUT_<ID>
    // (or the chat's prompt); ${workspaceFolder} and ${userHome} read nothing from the environment.
    const vscode = body.startsWith('env:') ? body.slice(4) : body.startsWith('input:') ? inputVariable(body.slice(6)) : undefined;
    if (vscode !== undefined && NAME.test(vscode)) {
      out.push({ variable: vscode, ref, fallback });
      i = end + 1;
      continue;
    }
    if (body === 'workspaceFolder' || body === 'userHome') {
      i = end + 1;
      continue;
    }
    if (!NAME.test(name)) return out; // The loader reports it; nothing is read from the environment.
    out.push({ variable: name, ref, fallback });
    if (sep >= 0) out.push(...refsInString(body.slice(sep + 2), true));
    i = end + 1;
  }
  return out;
}

/** Every reference in a JSON-like tree (string values only: keys are never interpolated). */
export function collectRefs(value: unknown, path: JsonPath = []): VarRef[] {
  if (typeof value === 'string') return refsInString(value).map((r) => ({ ...r, path }));
  if (Array.isArray(value)) return value.flatMap((v: unknown, i) => collectRefs(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => collectRefs(v, [...path, k]));
  return [];
}

export function hasRefs(text: string): boolean {
  return refsInString(text).length > 0;
}

// Names that hold credentials by convention: anything isCredentialName knows (…TOKEN, …KEY, …SECRET,
// …PASSWORD, …CREDENTIAL…), cloud and forge prefixes whose variables are mostly credentials, and
// connection strings that carry a password.
const SECRET_PREFIX =
  /^(AWS|AZURE|ARM|GCP|GCLOUD|GOOGLE|GH|GITHUB|GITLAB|OPENAI|ANTHROPIC|HF|HUGGING_?FACE|NPM|PYPI|STRIPE|SLACK|TWILIO|DOCKER|VAULT|CLOUDFLARE|DIGITALOCEAN|HEROKU|SENTRY|DATADOG|DD)_/i;
/** Settings, not secrets, under those prefixes (OPENAI_BASE_URL, AWS_REGION). */
const PLAIN_SUFFIX = /_(BASE_URL|URL|HOST|ENDPOINT|REGION|MODEL|PROFILE|ORG|ORGANIZATION|PROJECT)$/i;
const SECRET_PART = /(^|_)(PAT|PASS|PWD|AUTH|DSN|SESSION|PRIVATE|CERT|SIGNING|COOKIE)($|_)|DATABASE_URL|CONNECTION_STRING|_URI$/i;

/** True for variables whose values are, by their names, secrets (OPENAI_API_KEY, GITHUB_TOKEN, AWS_…, DB_PASSWORD). */
export function isSecretVariable(name: string): boolean {
  return isCredentialName(name) || (SECRET_PREFIX.test(name) && !PLAIN_SUFFIX.test(name)) || SECRET_PART.test(name);
}
