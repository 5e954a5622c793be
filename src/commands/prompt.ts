// `mcpsh prompt <server> <name> [key=value ...]`: one prompts/get, printed as role-labelled messages (or the
// raw result with --json). Arguments are checked against the prompt's declared ones before sending.
import type { Prompt } from '../mcp/types.js';
import type { GlobalOptions } from '../options.js';
import { AppError } from '../errors.js';
import type { Io } from '../io.js';
import { renderMessages } from '../mcp/feature-text.js';
import { redactValue } from '../policy/redact.js';
import { closestMatch } from '../suggest.js';
import { connectOne, openHost } from './host.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

export async function runPrompt(
  server: string,
  name: string,
  pairs: string[],
  opts: GlobalOptions & { json?: boolean },
  rawIo: Io,
): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const args = parsePairs(pairs);
  const host = await openHost(opts, io);
  try {
    const connection = await connectOne(host, server, io);
    const prompts = await connection.features.prompts(io.signal);
    const prompt = prompts.find((p) => p.name === name);
    if (!prompt) {
      const close = closestMatch(
        name,
        prompts.map((p) => p.name),
      );
      throw new AppError('USAGE', `server ${server} has no prompt "${name}"${close ? ` (did you mean "${close}"?)` : ''}`, {
        hint: `list its prompts with: mcpsh prompts ${server}`,
      });
    }
    checkArguments(server, prompt, args);
    const result = await connection.features.getPrompt(name, args, io.signal);
    io.stdout.write(opts.json ? `${jsonText(redactValue(result), 2)}\n` : renderMessages(result));
    return 0;
  } finally {
    await host.close();
  }
}

function parsePairs(pairs: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new AppError('USAGE', `prompt arguments are key=value, got "${pair}"`, {
        hint: 'e.g. mcpsh prompt everything args-prompt city=Paris',
      });
    args[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return args;
}

function checkArguments(server: string, prompt: Prompt, args: Record<string, string>): void {
  const declared = prompt.arguments ?? [];
  const usage = declared.map((a) => (a.required === true ? `${a.name}=…` : `[${a.name}=…]`)).join(' ');
  const hint = `usage: mcpsh prompt ${server} ${prompt.name}${usage ? ` ${usage}` : ''}`;
  const missing = declared.filter((a) => a.required === true && args[a.name] === undefined).map((a) => a.name);
  if (missing.length > 0) {
    throw new AppError(
      'USAGE',
      `prompt ${prompt.name} of ${server} needs the argument${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`,
      { hint },
    );
  }
  const unknown = Object.keys(args).filter((k) => !declared.some((a) => a.name === k));
  if (unknown.length > 0) {
    throw new AppError(
      'USAGE',
      `prompt ${prompt.name} of ${server} has no argument${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}`,
      { hint },
    );
  }
}
