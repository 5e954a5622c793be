// `mcpsh init`: writes a commented starter config that loads cleanly and runs offline.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEARCH_PLACES } from '../config/discover.js';
import { packagePath } from '../package-root.js';
import { hashConfigText, recordTrust } from '../config/trust.js';
import { AppError, errorMessage } from '../errors.js';
import { writeLine, type Io } from '../io.js';
import { textIo } from '../output/terminal-io.js';

/** The JSON Schema shipped in the package (schema/ sits beside dist/ and src/). */
export const SHIPPED_SCHEMA = packagePath('schema/mcp.config.schema.json');

/** A `$schema` reference editors can follow: relative when the schema is inside the config's folder, else a file URL. */
export function schemaRef(configFile: string): string {
  const rel = path.relative(path.dirname(configFile), SHIPPED_SCHEMA);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return `./${rel.split(path.sep).join('/')}`;
  return pathToFileURL(SHIPPED_SCHEMA).href;
}

export function starterConfig(schema: string): string {
  return `// mcpsh config. Comments and trailing commas are allowed.
// Every field is described in docs/configuration.md; run \`mcpsh config\` to see what mcpsh makes of this file.
// Any string may use \${VAR} or \${VAR:-default} to read an environment variable (write $$ for a literal $).
{
  "$schema": ${JSON.stringify(schema)},

  // The language model for the chat and \`ask\`: any OpenAI-compatible endpoint.
  // \`mcpsh tools\`, \`call\` and \`doctor\` need no model and no key.
  "model": {
    "name": "gpt-4.1-mini",
    "baseURL": "\${OPENAI_BASE_URL:-https://api.openai.com/v1}",
    "apiKey": "\${OPENAI_API_KEY}"
  },

  // MCP servers by name, in the shape Claude Desktop, Claude Code, Cursor and VS Code use.
  // The model sees each tool as <server>__<tool>, e.g. db__query.
  "mcpServers": {
    // A stdio server: mcpsh starts the command and talks to it over stdin/stdout.
    // This is the SQLite server that ships with mcpsh, with sample customers and orders (no network needed).
    // If mcpsh is not on your PATH, use "command": "npx" with "args": ["mcpsh", "serve", ...].
    "db": {
      "command": "mcpsh",
      "args": ["serve", "sqlite", "demo.db", "--demo"],
      "callTimeout": 30
    },

    // A remote server over Streamable HTTP (a bare "url" falls back to legacy SSE on a 4xx;
    // "type": "http" or "sse" picks one). Uncomment it and set CRM_TOKEN in the environment:
    // "crm": {
    //   "url": "http://127.0.0.1:3333/mcp",
    //   "headers": { "Authorization": "Bearer \${CRM_TOKEN}" }
    // },
  }
}
`;
}

export async function runInit(file: string, opts: { force?: boolean }, rawIo: Io): Promise<number> {
  const io = textIo(rawIo);
  const target = path.resolve(io.cwd, file);
  if (!opts.force && existsSync(target)) {
    throw new AppError('USAGE', `${target} already exists; not overwriting it`, {
      hint: `run \`mcpsh init --force\` to replace it, or \`mcpsh init other-name.json\` to write elsewhere`,
    });
  }
  const text = starterConfig(schemaRef(target));
  try {
    await writeFile(target, text, { encoding: 'utf8', flag: opts.force ? 'w' : 'wx' });
  } catch (err) {
    throw new AppError('USAGE', `cannot write ${target}: ${errorMessage(err)}`, {
      cause: err,
      hint: 'check that the folder exists and is writable',
    });
  }
  // Writing the file is the user's act of trust: recorded for exactly the text written here, so any later
  // edit (by the user or anything else) needs a fresh review, as for every project config.
  recordTrust(target, io.env, hashConfigText(text));
  writeLine(io.stdout, `wrote ${target} (trusted: it is yours; an edit asks again)`);
  // Each printed step must work as printed: without --config only when the search from here picks this file
  // (not when it is elsewhere, has a name the search does not try, or another config here comes first).
  const rel = path.relative(io.cwd, target).split(path.sep).join('/');
  const found = SEARCH_PLACES.find((p) => p !== 'package.json' && existsSync(path.join(io.cwd, p)));
  const flag = found === rel ? '' : ` --config ${file}`;
  writeLine(io.stdout, `next: run \`mcpsh${flag} config\` to check it, then \`mcpsh${flag} tools\` to list the tools of its servers`);
  return 0;
}
