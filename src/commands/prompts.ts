// `mcpsh prompts [server]`: every prompt (all pages) of each server that offers prompts, with its arguments.
import type { Prompt } from '../mcp/types.js';
import type { GlobalOptions } from '../options.js';
import { errorMessage } from '../errors.js';
import type { Io } from '../io.js';
import { formatTable, oneLine } from '../output/table.js';
import { redactValue } from '../policy/redact.js';
import { openHost } from './host.js';
import { connectForListing, listingFailures, type ServerListing } from './resources.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

export async function runPrompts(server: string | undefined, opts: GlobalOptions & { json?: boolean }, rawIo: Io): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    const { ready, failed } = await connectForListing(host, server, io);
    const offering = server === undefined ? ready.filter((c) => c.capabilities?.prompts) : ready;
    const listings: Array<ServerListing<Prompt>> = [];
    for (const c of offering) {
      try {
        listings.push({ server: c.name, items: await c.features.prompts(io.signal) });
      } catch (err) {
        if (server !== undefined) throw err;
        listings.push({ server: c.name, items: [], error: errorMessage(err) });
      }
    }
    const failures = listingFailures(failed, listings);
    if (opts.json) {
      const json = { prompts: listings.flatMap((l) => l.items.map((p) => promptJson(l.server, p))), failed: failures };
      io.stdout.write(`${jsonText(redactValue(json), 2)}\n`);
    } else {
      for (const f of failures) io.stderr.write(`mcpsh: server ${f.server} failed: ${f.error}\n`);
      io.stdout.write(renderPrompts(listings.filter((l) => !l.error)));
    }
    if (ready.length === 0 && failed.length > 0) return 4;
    return 0;
  } finally {
    await host.close();
  }
}

function promptJson(server: string, p: Prompt): Record<string, unknown> {
  return {
    server,
    name: p.name,
    ...(p.title !== undefined ? { title: p.title } : {}),
    description: p.description ?? null,
    arguments: (p.arguments ?? []).map((a) => ({ name: a.name, description: a.description ?? null, required: a.required === true })),
  };
}

function renderPrompts(listings: Array<ServerListing<Prompt>>): string {
  const out: string[] = [];
  for (const l of listings) {
    if (l.items.length === 0) continue;
    out.push(`${l.server} (${l.items.length} prompt${l.items.length === 1 ? '' : 's'})`);
    const rows: string[][] = [];
    for (const p of l.items) {
      rows.push([`  ${p.name}`, oneLine(p.description, 90)]);
      for (const a of p.arguments ?? [])
        rows.push([`    ${a.name}${a.required === true ? ' (required)' : ''}`, oneLine(a.description, 90)]);
    }
    out.push(formatTable(rows), '');
  }
  if (out.length === 0) return 'no prompts\n';
  return `${out.join('\n').trimEnd()}\n`;
}
