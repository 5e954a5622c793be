// Roots mcpsh offers to servers (`roots/list`): the working directory and the configured extra roots,
// as file:// URIs. Relative paths are taken from the working directory.
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Root } from './types.js';

export function rootsFor(cwd: string, paths: readonly string[]): Root[] {
  const seen = new Set<string>();
  const roots: Root[] = [];
  for (const p of paths) {
    const absolute = resolve(cwd, p);
    const uri = pathToFileURL(absolute).href;
    if (seen.has(uri)) continue;
    seen.add(uri);
    roots.push({ uri, name: basename(absolute) || absolute });
  }
  return roots;
}
