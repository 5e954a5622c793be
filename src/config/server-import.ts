// Reading MCP server entries from other hosts' config files (Claude Desktop, Claude Code, Cursor, VS Code,
// Gemini CLI) and mapping each onto mcpsh's server shape, for `mcpsh mcp import`. Nothing here writes.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { AppError, errorMessage } from '../errors.js';
import { RemoteServerSchema, StdioServerSchema } from './schema.js';
import { isRecord } from './validate.js';

export const IMPORT_SOURCES = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'gemini'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** Whether `file` is one of a project's files (under `cwd`) rather than the user's own. */
export function isProjectFile(file: string, cwd: string): boolean {
  return file.startsWith(`${cwd}/`);
}

/** The files a host keeps its servers in, most specific first (project files are read from `cwd`). */
export function defaultFiles(source: ImportSource, env: NodeJS.ProcessEnv, cwd: string): string[] {
  const home = env.HOME ?? homedir();
  switch (source) {
    case 'claude-desktop':
      return [
        process.platform === 'darwin'
          ? join(home, 'Library/Application Support/Claude/claude_desktop_config.json')
          : process.platform === 'win32'
            ? join(env.APPDATA ?? join(home, 'AppData/Roaming'), 'Claude/claude_desktop_config.json')
            : join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Claude/claude_desktop_config.json'),
      ];
    case 'claude-code':
      return [join(cwd, '.mcp.json'), join(home, '.claude.json')];
    case 'cursor':
      return [join(cwd, '.cursor/mcp.json'), join(home, '.cursor/mcp.json')];
    case 'vscode':
      return [join(cwd, '.vscode/mcp.json')];
    case 'gemini':
      return [join(cwd, '.gemini/settings.json'), join(home, '.gemini/settings.json')];
  }
}

/** Reads one host file; undefined when it does not exist. */
export function readHostFile(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('CONFIG', `cannot read ${file}: ${errorMessage(err)}`, { cause: err });
  }
  const errors: ParseError[] = [];
  const doc: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !isRecord(doc))
    throw new AppError('CONFIG', `${file} is not valid JSON`, { hint: 'fix it in the program that wrote it, or name another file' });
  return doc;
}

/** The server entries of a host document: `servers` (VS Code), `mcpServers`, and Claude Code's per-project ones for `cwd`. */
export function hostServers(source: ImportSource, doc: Record<string, unknown>, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const take = (v: unknown): void => {
    if (isRecord(v)) for (const [k, e] of Object.entries(v)) if (!(k in out)) out[k] = e;
  };
  if (source === 'vscode') take(doc.servers);
  take(doc.mcpServers);
  // ~/.claude.json keeps "local" servers under projects.<absolute dir>.mcpServers.
  if (source === 'claude-code' && isRecord(doc.projects)) take((doc.projects[cwd] as Record<string, unknown> | undefined)?.mcpServers);
  if (source !== 'vscode') take(doc.servers);
  return out;
}

const STDIO_KEYS = new Set(Object.keys(StdioServerSchema.shape));
const REMOTE_KEYS = new Set(Object.keys(RemoteServerSchema.shape));

/** One host entry in mcpsh's shape: hosts' own keys are renamed where they mean the same, else dropped. */
export function mapEntry(source: ImportSource, raw: unknown): { entry: Record<string, unknown>; dropped: string[] } | undefined {
  if (!isRecord(raw)) return undefined;
  const input: Record<string, unknown> = { ...raw };
  if (source === 'gemini') {
    // Gemini CLI: httpUrl is Streamable HTTP, url is SSE; timeout is in milliseconds.
    if (typeof input.httpUrl === 'string') {
      input.url = input.httpUrl;
      input.type = 'http';
      delete input.httpUrl;
    } else if (typeof input.url === 'string' && input.type === undefined) input.type = 'sse';
  }
  if (input.disabled === true) {
    input.enabled = false;
    delete input.disabled;
  }
  const keys = 'command' in input ? STDIO_KEYS : REMOTE_KEYS;
  const entry: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (keys.has(k)) entry[k] = v;
    else dropped.push(k);
  }
  // Hosts write "streamableHttp"/"streamable-http" and friends; the schema accepts them as aliases.
  return { entry, dropped };
}
