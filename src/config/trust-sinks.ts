// Where a value read from the environment goes, in words for the trust review, and whether it leaves the machine
// (to a server, or to a model endpoint that is not OpenAI's). All config text in the words is made visible.
import type { JsonPath } from './interpolate.js';
import type { ReviewServer } from './trust-review-types.js';
import { shown } from './trust-visible.js';

export interface SinkContext {
  servers: Map<string, ReviewServer>;
  modelBaseURL: string | undefined;
  modelNonDefault: boolean;
}

export interface Sink {
  to: string;
  leaves: boolean;
}

const ascii = { ascii: true };
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** A JSON path as people write it, with every key made visible (describe.ts's formatPath leaves C1 and bidi as is). */
function formatPath(path: JsonPath): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : IDENT.test(p) ? `${i === 0 ? '' : '.'}${p}` : `[${shown(p, ascii)}]`))
    .join('');
}

function serverSink(name: string, rest: JsonPath, ctx: SinkContext): Sink {
  const s = ctx.servers.get(name);
  const server = `server ${shown(name, ascii)}`;
  const target = s?.command !== undefined ? ` (${shown(s.command, ascii)})` : s?.url !== undefined ? ` (${shown(s.url, ascii)})` : '';
  const [field, key] = rest;
  const k = key === undefined ? '' : shown(String(key), ascii);
  switch (field) {
    case 'command':
      return { to: `command of ${server}`, leaves: true };
    case 'args':
      return { to: `argument ${typeof key === 'number' ? key + 1 : k} of ${server}${target}`, leaves: true };
    case 'env':
      return { to: `env ${k} of ${server}${target}`, leaves: true };
    case 'cwd':
      return { to: `working directory of ${server}${target}`, leaves: true };
    case 'url':
      return { to: `URL of ${server}`, leaves: true };
    case 'headers':
      return { to: `header ${k} of ${s?.url !== undefined ? shown(s.url, ascii) : server} (${server})`, leaves: true };
    case 'headersHelper':
      return { to: `headersHelper shell command of ${server}`, leaves: true };
    case 'oauth':
      return { to: `oauth ${k} of ${server}${target}`, leaves: true };
    case 'description':
      return { to: `description of ${server} (not sent anywhere)`, leaves: false };
    default:
      return { to: `${formatPath(rest)} of ${server}`, leaves: false };
  }
}

function modelSink(rest: JsonPath, ctx: SinkContext): Sink {
  const endpoint = ctx.modelBaseURL !== undefined ? shown(ctx.modelBaseURL, ascii) : 'the model endpoint';
  const [field, key] = rest;
  const k = key === undefined ? '' : shown(String(key), ascii);
  switch (field) {
    case 'baseURL':
      // A secret inside the endpoint's URL goes wherever that URL points.
      return { to: 'model endpoint URL (model.baseURL)', leaves: true };
    case 'apiKey':
      return { to: `model API key, sent to ${endpoint}`, leaves: ctx.modelNonDefault };
    case 'headers':
      return { to: `header ${k} of the model endpoint ${endpoint}`, leaves: ctx.modelNonDefault };
    case 'query':
      return { to: `query parameter ${k} of the model endpoint ${endpoint}`, leaves: ctx.modelNonDefault };
    default:
      return { to: `${formatPath(['model', ...rest])}, sent to ${endpoint}`, leaves: ctx.modelNonDefault };
  }
}

/** The destination of the value at `path` in the (raw) config document. */
export function describeSink(path: JsonPath, ctx: SinkContext): Sink {
  const [top, name, ...rest] = path;
  if (top === 'mcpServers' && typeof name === 'string') return serverSink(name, rest, ctx);
  if (top === 'model') return modelSink(path.slice(1), ctx);
  if (top === 'agents' && typeof name === 'string') {
    return { to: `${formatPath(rest)} of agent ${shown(name, ascii)} (sent to the model)`, leaves: ctx.modelNonDefault };
  }
  if (top === 'roots') return { to: 'a root directory offered to every server', leaves: true };
  if (top === 'browser') return { to: 'the browser command (runs on this machine)', leaves: false };
  if (top === 'auditLog') return { to: 'the audit log path', leaves: false };
  return { to: formatPath(path), leaves: false };
}
