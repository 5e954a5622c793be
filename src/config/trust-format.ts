// The trust review as terminal lines. Every piece of config text goes through shown()/visible(), so no value can
// add a line, move the cursor, overwrite or reorder what is printed; each server starts its own block.
import { isCodeConfig } from './trust-hash.js';
import type { ReviewServer, ReviewValue, TrustDescription } from './trust-review.js';
import { shown, shownList } from './trust-visible.js';

const ascii = { ascii: true };
const TRANSPORT = {
  stdio: 'runs a program (stdio)',
  http: 'connects over Streamable HTTP',
  sse: 'connects over SSE',
  auto: 'connects over Streamable HTTP, else SSE',
} as const;

function valueText(v: ReviewValue): string {
  const name = `${shown(v.name, ascii)}${v.note !== undefined ? ` (${v.note})` : ''}`;
  return v.masked === true ? `${name} = *** (written in the file)` : `${name} = ${shown(v.value)}`;
}

function serverLines(s: ReviewServer): string[] {
  const lines = [`  server ${shown(s.name, ascii)}: ${TRANSPORT[s.transport]}${s.enabled ? '' : ' (disabled: not started)'}`];
  if (s.command !== undefined) {
    lines.push(`    command: ${shown(s.command, ascii)}`);
    if (s.args && s.args.length > 0) lines.push(`    args: ${shownList(s.args)}`);
  }
  if (s.cwd) lines.push(`    cwd: ${shown(s.cwd.path)}${s.cwd.note !== undefined ? ` (${s.cwd.note})` : ''}`);
  for (const e of s.env ?? []) lines.push(`    env ${valueText(e)}`);
  if (s.inheritEnv === true) lines.push('    inheritEnv: true (it gets your whole environment)');
  if (s.url !== undefined) lines.push(`    url: ${shown(s.url, ascii)}`);
  for (const h of s.headers ?? []) lines.push(`    header ${valueText(h)}`);
  if (s.headersHelper)
    lines.push(`    headersHelper (a shell command, run in ${shown(s.headersHelper.cwd)}): ${shown(s.headersHelper.command)}`);
  if (s.oauth === false) lines.push('    oauth: never');
  else if (s.oauth) for (const o of s.oauth) lines.push(`    oauth ${valueText(o)}`);
  return lines;
}

function codeLines(d: TrustDescription): string[] {
  const first = d.files[0];
  // The config itself when it is code (what it imports is listed below), else the code files it $imports.
  const code = first !== undefined && isCodeConfig(first) ? [first] : d.files.filter(isCodeConfig);
  const lines = [
    `${(code.length > 0 ? code : d.files).map((f) => shown(f)).join(', ')} is code: loading it runs it, so mcpsh cannot show what it would start without running it.`,
    'Read the file before you trust it.',
  ];
  const others = d.files.slice(1);
  if (others.length > 0) {
    lines.push(
      'Trust also covers what it imports (an edit to any of these asks again); read them too:',
      ...others.map((f) => `  ${shown(f)}`),
    );
  }
  return lines;
}

function modelLines(d: TrustDescription): string[] {
  const m = d.model;
  if (!m) return [];
  const lines: string[] = [];
  if (m.baseURL !== undefined) lines.push(`Model requests (with your API key) go to: ${shown(m.baseURL, ascii)}`);
  if (m.apiKey) lines.push(`Model API key: ${m.apiKey.masked === true ? '*** (written in the file)' : shown(m.apiKey.value)}`);
  for (const h of m.headers ?? []) lines.push(`Model header ${valueText(h)}`);
  return lines;
}

function warningLines(d: TrustDescription): string[] {
  const lines: string[] = [];
  for (const r of d.refs) {
    if (r.flagged) lines.push(`warning: $${r.variable} looks like a secret, and its value is sent out: ${r.to}`);
  }
  for (const s of d.servers) {
    if (s.inheritEnv === true)
      lines.push(`warning: server ${shown(s.name, ascii)} gets your whole environment (inheritEnv), every secret in it included`);
  }
  if (d.model?.yourKey === true && d.model.baseURL !== undefined) {
    lines.push(
      `warning: your API key ($OPENAI_API_KEY, or model.apiKey of your user config) would be sent to ${shown(d.model.baseURL, ascii)}, not to api.openai.com`,
    );
  }
  return lines;
}

/** The description as lines for a terminal. */
export function formatTrustDescription(d: TrustDescription): string {
  const lines: string[] = [];
  const file = d.files[0] !== undefined ? shown(d.files[0]) : 'The config';
  if (d.code) lines.push(...codeLines(d));
  if (d.servers.length > 0) {
    lines.push(`${file} would start or connect to:`);
    for (const s of d.servers) lines.push(...serverLines(s));
  } else if (!d.code) {
    lines.push(`${file} starts no servers.`);
  }
  lines.push(...modelLines(d));
  if (d.settings.length > 0) lines.push('It also sets:', ...d.settings.map((v) => `  ${v.name}: ${shown(v.value)}`));
  if (!d.code && d.files.length > 1)
    lines.push('Trust covers these files too (an edit to any of them asks again):', ...d.files.slice(1).map((f) => `  ${shown(f)}`));
  if (d.refs.length > 0) {
    lines.push('Environment variables it reads, and where their values go:');
    for (const r of d.refs) lines.push(`  ${r.to} ← $${r.variable}${r.fallback ? ' (only when the one before is unset)' : ''}`);
  }
  lines.push(...warningLines(d));
  return `${lines.join('\n')}\n`;
}
