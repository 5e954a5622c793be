// An on-disk copy of each server's tool list, keyed by a hash of the server's config, so `ask` can send
// its first model request before slow servers have finished starting. The live list always replaces it.
import type { Tool } from './types.js';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedServer } from '../config/schema.js';
import { writeFileAtomicSync } from '../files/atomic.js';

interface CachedList {
  version: 1;
  tools: Tool[];
  instructions?: string;
  savedAt: string;
}

export class ToolListCache {
  constructor(private readonly dir: string) {}

  load(config: ResolvedServer): CachedList | undefined {
    try {
      const parsed = JSON.parse(readFileSync(this.fileFor(config), 'utf8')) as CachedList;
      return parsed.version === 1 && Array.isArray(parsed.tools) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  save(config: ResolvedServer, tools: Tool[], instructions: string | undefined): void {
    const entry: CachedList = { version: 1, tools, ...(instructions ? { instructions } : {}), savedAt: new Date().toISOString() };
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // Whole-file replace: a reader never sees half a file, and two mcpsh runs at once only race on whose
      // (equally valid) list is newest, so no lock; no fsync either, a lost cache only costs speed.
      writeFileAtomicSync(this.fileFor(config), JSON.stringify(entry), { mode: 0o600, durable: false });
    } catch {
      // A cache that cannot be written only costs speed.
    }
  }

  drop(config: ResolvedServer): void {
    this.save(config, [], undefined);
  }

  private fileFor(config: ResolvedServer): string {
    return join(this.dir, `${config.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${configHash(config)}.json`);
  }
}

/** What makes a server the same server: how it is started or reached, and which tools are exposed. */
export function configHash(config: ResolvedServer): string {
  const identity =
    config.transport === 'stdio'
      ? { command: config.command, args: config.args, env: config.env, cwd: config.cwd }
      : { url: config.url, headers: config.headers };
  return createHash('sha256')
    .update(JSON.stringify({ ...identity, include: config.includeTools, exclude: config.excludeTools }))
    .digest('hex')
    .slice(0, 16);
}
