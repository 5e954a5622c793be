// `mcpsh resources [server]`: every resource (all pages) and resource template of each server that offers
// them. Also the shared start-up step of the resources/prompts commands: connect the servers asked for.
import type { Resource, ResourceTemplate } from '../mcp/types.js';
import type { GlobalOptions } from '../options.js';
import { errorMessage } from '../errors.js';
import type { Io } from '../io.js';
import type { ServerConnection } from '../mcp/connection.js';
import { renderResources } from '../mcp/feature-text.js';
import { redactValue } from '../policy/redact.js';
import { connectOne, openHost, type Host } from './host.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

/**
 * The servers a listing covers: one (which must be ready) or every enabled one (failures reported).
 * Returns the ready ones and the failed ones.
 */
export async function connectForListing(
  host: Host,
  server: string | undefined,
  io: Io,
): Promise<{ ready: ServerConnection[]; failed: ServerConnection[] }> {
  if (server !== undefined) return { ready: [await connectOne(host, server, io)], failed: [] };
  await host.hub.connectAll({ signal: io.signal });
  const considered = host.hub.connections.filter((c) => c.state !== 'disabled');
  return { ready: considered.filter((c) => c.state === 'ready'), failed: considered.filter((c) => c.state === 'failed') };
}

/** One listing per server: its items, or why it could not be listed. */
export interface ServerListing<T> {
  server: string;
  items: T[];
  error?: string;
}

export async function runResources(server: string | undefined, opts: GlobalOptions & { json?: boolean }, rawIo: Io): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    const { ready, failed } = await connectForListing(host, server, io);
    // Listing every server: those without the capability are simply not listed. Asking for one: say so.
    const offering = server === undefined ? ready.filter((c) => c.capabilities?.resources) : ready;
    const listings: Array<ServerListing<Resource> & { templates: ResourceTemplate[] }> = [];
    for (const c of offering) {
      try {
        const [items, templates] = await Promise.all([c.features.resources(io.signal), c.features.resourceTemplates(io.signal)]);
        listings.push({ server: c.name, items, templates });
      } catch (err) {
        if (server !== undefined) throw err;
        listings.push({ server: c.name, items: [], templates: [], error: errorMessage(err) });
      }
    }
    const failures = listingFailures(failed, listings);
    if (opts.json) {
      const json = {
        resources: listings.flatMap((l) => l.items.map((r) => ({ server: l.server, ...r }))),
        templates: listings.flatMap((l) => l.templates.map((t) => ({ server: l.server, ...t }))),
        failed: failures,
      };
      io.stdout.write(`${jsonText(redactValue(json), 2)}\n`);
    } else {
      for (const f of failures) io.stderr.write(`mcpsh: server ${f.server} failed: ${f.error}\n`);
      io.stdout.write(renderResources(listings.filter((l) => !l.error)));
    }
    if (ready.length === 0 && failed.length > 0) return 4;
    return 0;
  } finally {
    await host.close();
  }
}

/** Servers that could not start, and servers that started but could not be listed. */
export function listingFailures(
  failed: readonly ServerConnection[],
  listings: ReadonlyArray<{ server: string; error?: string }>,
): Array<{ server: string; error: string }> {
  return [
    ...failed.map((c) => ({ server: c.name, error: c.error ?? 'failed' })),
    ...listings.filter((l) => l.error).map((l) => ({ server: l.server, error: l.error ?? '' })),
  ];
}
